// A node:test reporter (used next to the usual one by test/run.mjs) that collects every skipped test
// with its reason and file, and writes them as JSON, so the run can end with a summary of what was not
// tested and why (the reasons say how to install the missing tool).
export default async function* skipReporter(source) {
  const skipped = [];
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false) {
      skipped.push({ file: event.data.file ?? '', name: event.data.name, reason: typeof event.data.skip === 'string' ? event.data.skip : '(no reason given)' });
    }
  }
  yield `${JSON.stringify(skipped)}\n`;
}
