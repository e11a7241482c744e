import { Inject, Injectable } from '@nestjs/common';
import { EVENT_MESSAGES as M } from './events.errors.js';
import { ForbiddenError, isAdmin, NotFoundError, Principal } from '@lms/platform';
import { AccessScope } from '@lms/identity';
import { EventRepository, EventRow } from './event.repository.js';

/**
 * Who may do what with an event (deny by default):
 * - organise (create, edit, cancel, manage sessions, registrations, reports): an admin; an author whose
 *   grant covers the owning unit (a school); HR whose scope covers the owning unit.
 * - run (see the participant list, mark attendance): the organisers and the event's trainers with an account.
 * - see the event and register: any signed-in person (the audience rule decides who may register).
 */
@Injectable()
export class EventAccess {
  constructor(
    @Inject(AccessScope) private readonly scope: AccessScope,
    @Inject(EventRepository) private readonly events: EventRepository,
  ) {}

  async canOrganiseUnit(principal: Principal, orgUnitId: string): Promise<boolean> {
    if (isAdmin(principal)) return true;
    return (await this.scope.canManageUnit(principal, orgUnitId, 'author')) || (await this.scope.canManageUnit(principal, orgUnitId, 'hr'));
  }

  async assertCanOrganiseUnit(principal: Principal, orgUnitId: string): Promise<void> {
    if (!(await this.canOrganiseUnit(principal, orgUnitId))) throw new ForbiddenError(M.organiseOnlyInScope());
  }

  async mustExist(eventId: string): Promise<EventRow> {
    const row = await this.events.row(eventId);
    if (!row) throw new NotFoundError('Event', eventId);
    return row;
  }

  /** The event when the caller organises it: 404 unknown, 403 otherwise. */
  async organised(principal: Principal, eventId: string): Promise<EventRow> {
    const row = await this.mustExist(eventId);
    await this.assertCanOrganiseUnit(principal, row.ownerOrgUnitId);
    return row;
  }

  /** The event when the caller organises it or is one of its trainers. */
  async run(principal: Principal, eventId: string): Promise<EventRow> {
    const row = await this.mustExist(eventId);
    if (await this.canOrganiseUnit(principal, row.ownerOrgUnitId)) return row;
    if (await this.events.isTrainer(eventId, principal.userId)) return row;
    throw new ForbiddenError(M.onlyOrganisers());
  }

  /** Org-unit path prefixes whose events the caller organises (admin: all → null). */
  async organiserPaths(principal: Principal): Promise<string[] | null> {
    if (isAdmin(principal)) return null;
    return [...(await this.scope.scopePaths(principal, 'author')), ...(await this.scope.scopePaths(principal, 'hr'))];
  }

  /** The units the caller may own events for (admin: every unit), tree order, at most 500. */
  async organiserUnits(principal: Principal): Promise<Array<{ id: string; code: string; name: string; depth: number }>> {
    return this.events.unitsUnder(await this.organiserPaths(principal), 500);
  }

  /** Unit codes to ids, for an audience typed as codes; unknown codes are left out. */
  async unitIdsByCode(codes: string[]): Promise<Map<string, string>> {
    return this.events.unitIdsByCode(codes);
  }

  async unitExists(id: string): Promise<boolean> {
    return (await this.events.existingUnits([id])).length === 1;
  }

  async unitCodes(ids: string[]): Promise<string[]> {
    return this.events.unitCodes(ids);
  }
}
