/** The demo data cost-blobs.test.ts and its crashing child import: three months, one payer, two members. */
export const CRASH_DEMO = {
  payer: { id: '444444444444', name: 'Payer' },
  members: [{ id: '555555555555', name: 'Member' }],
  startMonth: '2026-01',
  months: 3,
  targetRows: 3000,
};
