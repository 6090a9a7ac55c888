import type { Request, Response, Router } from 'express';
import { requireRole } from '../auth';
import type { FlowGateway } from '../flows';
import { HttpProblem } from '../problems';

type RecurringStatus = 'active' | 'paused' | 'deleted';

/**
 * What HR does with any recurring procedure's Schedule (a survey, the yearly needs cycle): pause
 * it, resume it, start a run now (refused while one is still going: one run at a time) and remove
 * it (its runs and their results stay). The Schedule changes first, so the status on record
 * never claims a state the Schedule is not in.
 */
export function recurringControls<R extends { id: string }>(
  router: Router,
  flows: FlowGateway,
  of: {
    load: (req: Request) => Promise<R>;
    scheduleIdOf: (id: string) => string;
    setStatus: (id: string, status: RecurringStatus) => Promise<unknown>;
    /** Why a run now is refused: the run that is still open. */
    runGoing: (recurring: R) => string | undefined;
    answer: (req: Request, res: Response) => Promise<void>;
  },
): void {
  for (const [path, status, pause] of [
    ['pause', 'paused', true],
    ['resume', 'active', false],
  ] as const) {
    router.post(`/:id/${path}`, requireRole('hr'), async (req, res) => {
      const recurring = await of.load(req);
      await flows.changeRecurring(of.scheduleIdOf(recurring.id), { pause });
      await of.setStatus(recurring.id, status);
      await of.answer(req, res);
    });
  }

  router.post('/:id/run-now', requireRole('hr'), async (req, res) => {
    const recurring = await of.load(req);
    const going = of.runGoing(recurring);
    if (going) throw new HttpProblem(409, 'Run open', `${going} is still open; one run at a time`, undefined, 'wrong_state');
    await flows.changeRecurring(of.scheduleIdOf(recurring.id), { runNow: true });
    res.status(202).json({ id: recurring.id });
  });

  router.delete('/:id', requireRole('hr'), async (req, res) => {
    const recurring = await of.load(req);
    await flows.changeRecurring(of.scheduleIdOf(recurring.id), { remove: true });
    await of.setStatus(recurring.id, 'deleted');
    res.status(204).end();
  });
}
