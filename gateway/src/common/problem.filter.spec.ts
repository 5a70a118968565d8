import { DatabaseUnavailableError } from '../database/database';
import { ProblemFilter } from './problem.filter';

describe(ProblemFilter.name, () => {
  it("answers the gateway's database out of reach as 503 UNAVAILABLE, not a 500", () => {
    const err = new DatabaseUnavailableError({
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    expect(new ProblemFilter().toProblem(err)).toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
      title: 'Service unavailable',
      detail: "the gateway's database is not reachable right now; try again shortly",
    });
  });
});
