import { DropReport, ExportQuery, RentalReport, RentalReportQuery } from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { dropReport, rentalReport } from '../domain/reports.js';
import { csvResponse, exportPeriod } from '../domain/exports.js';

const KINDS = ['reservations', 'rentals', 'payments', 'customers'] as const;

/** Reports and CSV exports (owner or secret key). */
export function reportRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/reports/drops/:id',
        operationId: 'getDropReport',
        summary: 'Report of a drop',
        description:
          'Places, holds, confirmed, checked in, no-shows (confirmed, not checked in, slot ended), cancelled, expired, ' +
          'waitlist joins, promotions claimed and revenue (succeeded, unrefunded payments), in total and per slot.',
        tag: 'Reports',
        access: 'owner',
        success: { status: 200, schema: DropReport, description: 'The numbers.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        dropReport(services.db, auth.storeId, params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/reports/rentals',
        operationId: 'getRentalReport',
        summary: 'Report of rentals in a period',
        description:
          'Orders by status, revenue, overdue orders and utilisation per unit over `[from, to)` (≤ 400 days).',
        tag: 'Reports',
        access: 'owner',
        query: RentalReportQuery,
        success: { status: 200, schema: RentalReport, description: 'The numbers.' },
      },
      async ({ services, auth, query }) =>
        rentalReport(services.db, auth.storeId, query, services.clock.now()),
    );
  for (const kind of KINDS) {
    router.add(
      {
        method: 'get',
        path: `/exports/${kind}.csv`,
        operationId: `export${kind[0]!.toUpperCase()}${kind.slice(1)}Csv`,
        summary: `Export ${kind} as CSV`,
        description:
          'Streamed `text/csv` (RFC 4180, header line first), oldest first, optionally only rows created in ' +
          '`[from, to)`. Read in batches, so exports of any size hold one batch in memory.',
        tag: 'Reports',
        access: 'owner',
        query: ExportQuery,
        success: { status: 200, description: 'The CSV file.', contentType: 'text/csv' },
      },
      async ({ c, services, auth, query }) => {
        exportPeriod(query);
        return csvResponse(services.db, auth.storeId, kind, query, `${kind}.csv`, c.get('requestId'));
      },
    );
  }
}
