import {
  Branch,
  BranchCreate,
  BranchDeleted,
  BranchHours,
  BranchHoursQuery,
  BranchList,
  BranchUpdate,
  ListQuery,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import {
  branchHours,
  createBranch,
  deleteBranch,
  getBranch,
  listBranches,
  updateBranch,
} from '../domain/branches.js';

/** Branches: read with any key of the store (they are public facts), changed by an owner or the secret key. */
export function branchRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/branches',
        operationId: 'listBranches',
        summary: 'List branches',
        tag: 'Branches',
        access: 'key',
        query: ListQuery,
        success: { status: 200, schema: BranchList, description: 'A page of branches.' },
      },
      async ({ services, auth, query }) => listBranches(services.db, auth.storeId, query),
    )
    .add(
      {
        method: 'get',
        path: '/branches/:id',
        operationId: 'getBranch',
        summary: 'Retrieve a branch',
        tag: 'Branches',
        access: 'key',
        success: { status: 200, schema: Branch, description: 'The branch.' },
        errors: [404],
      },
      async ({ services, auth, params }) => getBranch(services.db, auth.storeId, params.id!),
    )
    .add(
      {
        method: 'get',
        path: '/branches/:id/hours',
        operationId: 'getBranchHours',
        summary: 'Open days and pickup/return times of a branch',
        description:
          'For each date from `from` to `to` (inclusive, at most 62, dates in the branch zone): whether it is closed, ' +
          'its open intervals as UTC instants (DST-correct), and the times offered for rental pickup and return every ' +
          '`step` minutes (default 30) within them. Exceptions replace the weekly hours of their date.',
        tag: 'Branches',
        access: 'key',
        query: BranchHoursQuery,
        success: { status: 200, schema: BranchHours, description: 'The days.' },
        errors: [404],
      },
      async ({ services, auth, params, query }) => branchHours(services.db, auth.storeId, params.id!, query),
    )
    .add(
      {
        method: 'post',
        path: '/branches',
        operationId: 'createBranch',
        summary: 'Create a branch',
        description:
          'Opening hours: weekday → `HH:MM-HH:MM` ranges (several a day, no overlap; `24:00` ends at midnight).',
        tag: 'Branches',
        access: 'owner',
        body: BranchCreate,
        success: { status: 201, schema: Branch, description: 'The new branch.' },
      },
      async ({ c, services, auth, body }) =>
        createBranch(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/branches/:id',
        operationId: 'updateBranch',
        summary: 'Update a branch',
        tag: 'Branches',
        access: 'owner',
        body: BranchUpdate,
        success: { status: 200, schema: Branch, description: 'The branch after the change.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        updateBranch(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'delete',
        path: '/branches/:id',
        operationId: 'deleteBranch',
        summary: 'Delete a branch',
        description: 'Drops held at the branch keep their data; their branch becomes unset.',
        tag: 'Branches',
        access: 'owner',
        success: { status: 200, schema: BranchDeleted, description: 'The removed branch.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        deleteBranch(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    );
}
