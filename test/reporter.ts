// node:test reporter that prints the closing line CI reads: "tests: N passed, N failed, N skipped".
// It counts leaf tests only (suites are containers); todo tests count as skipped.

interface TestEventData {
  details?: { type?: string };
  skip?: boolean | string;
  todo?: boolean | string;
}

export default async function* closingLine(source: AsyncIterable<{ type: string; data: TestEventData }>) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip !== undefined || event.data.todo !== undefined) skipped += 1;
    else if (event.type === 'test:pass') passed += 1;
    else failed += 1;
  }
  yield `tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
