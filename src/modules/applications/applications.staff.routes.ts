// The staff side of applications: the work queue here; registering at the counter, the case page
// and appeals in their own files. Each route reads: rate limit → access → CSRF → validation →
// transaction (reads and their audit entries commit together) → page. Field errors and "someone
// else changed this case" re-render the page; every other error goes to the platform's error page
// (a forged case id is a 404, its refusal audited by the service).
import { h } from 'preact';
import { record } from '../../platform/audit/audit.service.ts';
import { pageContext, sendPage } from '../../platform/http/render.ts';
import type { RouteModule } from '../../platform/http/server.ts';
import { field } from '../../platform/http/validate.ts';
import { regionToday } from '../../platform/time.ts';
import { categoryTitles, measuresWithChannels } from '../catalog/catalog.service.ts';
import * as registry from '../registry/registry.service.ts';
import { appealRoutes } from './applications.appeals.routes.ts';
import { caseRoutes } from './applications.case.routes.ts';
import { counterRoutes } from './applications.counter.routes.ts';
import { type QueueFilters, QueuePage } from './applications.queue.pages.tsx';
import * as svc from './applications.service.ts';
import { actorOf, query, READERS, staffNames, WORKERS } from './applications.staff.http.ts';

export const applicationStaffRoutes: RouteModule = (app, deps) => {
  const { db } = deps;
  // ------------------------------------------------------------ the work queue

  app.get('/staff/applications', { config: { access: READERS } }, async (request, reply) => {
    const q = query(request);
    const staff = actorOf(request);
    const assigneeRaw = field(q, 'assignee');
    const filters: QueueFilters = {
      assignee: assigneeRaw === 'mine' || assigneeRaw === 'unassigned' ? assigneeRaw : 'all',
      measure: field(q, 'measure'),
      page: Math.max(1, Math.min(100_000, Number.parseInt(field(q, 'page'), 10) || 1)),
    };
    const measures = await measuresWithChannels(db);
    const measure = measures.find((m) => m.code === filters.measure);
    if (!measure) filters.measure = '';
    const list = await db.transaction().execute(async (trx) => {
      const { rows, total } = await svc.workQueue(trx, staff, {
        assignee: filters.assignee,
        measureId: measure?.id,
        page: filters.page,
      });
      const persons = await registry.personNames(
        trx,
        rows.map((r) => r.person_id),
      );
      await record(trx, {
        actor: { kind: 'staff', id: staff.userId },
        action: 'application.queue.viewed',
        ip: request.ip,
        details: {
          reason: 'work_queue',
          assignee: filters.assignee,
          measure: measure?.code ?? null,
          page: filters.page,
          applications: rows.map((r) => r.id),
        },
      });
      return {
        rows,
        total,
        persons,
        assignees: await staffNames(
          trx,
          rows.map((r) => r.assignee_id),
        ),
      };
    });
    return sendPage(
      reply,
      h(QueuePage, {
        ctx: pageContext(request, reply),
        ...list,
        pageSize: svc.QUEUE_PAGE_SIZE,
        filters,
        measures,
        titles: await categoryTitles(db),
        today: regionToday(),
        canRegister: WORKERS.includes(staff.role),
      }),
    );
  });

  counterRoutes(app, deps);
  caseRoutes(app, deps);
  appealRoutes(app, deps);
};
