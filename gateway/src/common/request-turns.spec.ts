import { Request, Response } from 'express';
import { requestTurns } from './request-turns';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('requestTurns', () => {
  it('serves requests in arrival order, one per event-loop turn', async () => {
    const admit = requestTurns();
    const served: number[] = [];
    for (const n of [1, 2, 3]) admit({} as Request, {} as Response, () => served.push(n));
    expect(served).toEqual([]);
    await turn();
    expect(served).toEqual([1]);
    await turn();
    expect(served).toEqual([1, 2]);
    await turn();
    expect(served).toEqual([1, 2, 3]);
    // An idle queue starts again for the next request.
    admit({} as Request, {} as Response, () => served.push(4));
    await turn();
    expect(served).toEqual([1, 2, 3, 4]);
  });
});
