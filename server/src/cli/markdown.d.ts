/** Markdown files imported as text (esbuild's `text` loader, esbuild.mjs and test/bundleTests.mjs): the CLI bundle carries them. */
declare module '*.md' {
  const text: string;
  export default text;
}
