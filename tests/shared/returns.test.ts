// shared/references checkReturns: the return rule on its own, without storage (the server's PUT and the pane's
// Validate both call it).
import { checkReturns, type Movement } from '../../shared/references';

const d = (deliveryId: string, quantity: number, date: string, itemCode = 'A', contractId = 'K1'): Movement => ({
  deliveryId,
  contractId,
  itemCode,
  quantity,
  kind: 'delivery',
  date,
});
const r = (deliveryId: string, quantity: number, date: string, itemCode = 'A', contractId = 'K1'): Movement => ({
  ...d(deliveryId, quantity, date, itemCode, contractId),
  kind: 'return',
});
const passes = (errors: ReturnType<typeof checkReturns>): boolean[] => errors.map((e) => e === null);

it('refuses a return with nothing delivered, naming what could be returned', () => {
  expect(checkReturns([], [r('R1', 50, '2016-11-20')])).toEqual([
    {
      field: 'quantity',
      message:
        '50 exceeds what can be returned of A on contract K1 on 2016-11-20: 0 delivered, ' +
        '0 returned already, at most 0 can be returned',
    },
  ]);
});

it('counts deliveries up to and including the return day, of the same item and contract only', () => {
  const stored = [
    d('D1', 10, '2016-03-10'),
    d('D2', 5, '2016-03-20'),
    d('D3', 30, '2016-03-01', 'B'),
    d('D4', 30, '2016-03-01', 'A', 'K2'),
  ];
  expect(passes(checkReturns(stored, [r('R1', 10, '2016-03-10')]))).toEqual([true]);
  expect(passes(checkReturns(stored, [r('R1', 11, '2016-03-19')]))).toEqual([false]);
  expect(passes(checkReturns(stored, [r('R1', 15, '2016-03-20')]))).toEqual([true]);
});

it('decides the incoming returns in date order, each counting for the later ones; deliveries are not checked', () => {
  const errors = checkReturns(
    [d('D1', 10, '2016-05-01')],
    [r('R1', 6, '2016-05-20'), d('D9', 1, '2016-04-01'), r('R2', 6, '2016-05-10')],
  );
  expect(passes(errors)).toEqual([false, true, true]);
  expect(errors[0]?.message).toMatch(/10 delivered, 6 returned already, at most 4/);
});

it('refuses a return that would leave a later stored return exceeding what was delivered by then', () => {
  const stored = [d('D1', 10, '2016-06-01'), r('R1', 8, '2016-06-20')];
  const errors = checkReturns(stored, [r('R2', 5, '2016-06-10'), r('R3', 2, '2016-06-10')]);
  expect(passes(errors)).toEqual([false, true]);
  expect(errors[0]?.message).toBe(
    '5 would bring the returns of A on contract K1 to 13 by 2016-06-20, against 10 delivered up to then',
  );
});

it('replaces a stored version by its new one: an edited return, a delivery turned into a return, an unchanged return', () => {
  const stored = [d('D1', 10, '2016-08-01'), r('R1', 8, '2016-08-05')];
  expect(passes(checkReturns(stored, [r('R1', 10, '2016-08-05')]))).toEqual([true]);
  expect(passes(checkReturns(stored, [r('R1', 11, '2016-08-05')]))).toEqual([false]);
  // A stored return that no longer fits (its delivery was edited down) is not checked again while it is unchanged.
  expect(
    passes(checkReturns([d('D1', 1, '2016-08-01'), r('R1', 8, '2016-08-05')], [r('R1', 8, '2016-08-05')])),
  ).toEqual([true]);
  const turned = [d('D1', 10, '2016-10-01'), d('D2', 5, '2016-10-05'), r('R1', 12, '2016-10-10')];
  expect(passes(checkReturns(turned, [r('D2', 5, '2016-10-05')]))).toEqual([false]);
});

it('nets a delivery and a return of the same day, whatever their order', () => {
  expect(passes(checkReturns([d('D1', 3, '2016-09-01')], [r('R1', 3, '2016-09-01')]))).toEqual([true]);
  // The stored return comes before the delivery it relies on: the day is netted as a whole.
  const stored = [r('R0', 2, '2016-09-01'), d('D1', 3, '2016-09-01')];
  expect(passes(checkReturns(stored, [r('R1', 1, '2016-09-01'), r('R2', 1, '2016-09-01')]))).toEqual([true, false]);
});
