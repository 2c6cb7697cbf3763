-- The four roles of the platform; user_roles ties users to them per store.
INSERT INTO roles (code, name) VALUES
  ('admin', 'Platform administrator'),
  ('owner', 'Store owner (seller)'),
  ('staff', 'Store staff: check-in and handovers'),
  ('customer', 'Customer')
ON CONFLICT (code) DO NOTHING;
