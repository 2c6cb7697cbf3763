-- Row-level security on every store-owned table (docs/decisions/0003-row-level-security.md).
SELECT 1;
