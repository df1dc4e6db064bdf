// A node:test reporter (used next to the usual one by test/run.mjs) that collects every skipped test
// with its reason and file (and every TODO test: a known gap it asserts), and writes them as JSON, so the run can end with a summary of what was not
// tested and why (the reasons say how to install the missing tool).
export default async function* skipReporter(source) {
  const skipped = [];
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false) {
      skipped.push({ file: event.data.file ?? '', name: event.data.name, reason: typeof event.data.skip === 'string' ? event.data.skip : '(no reason given)' });
    } else if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.todo !== undefined && event.data.todo !== false) {
      // A TODO (a known disagreement the test asserts as such) is listed too: it passed, but is not done.
      skipped.push({ todo: true, file: event.data.file ?? '', name: event.data.name, reason: typeof event.data.todo === 'string' ? event.data.todo : '(no reason given)' });
    }
  }
  yield `${JSON.stringify(skipped)}\n`;
}
