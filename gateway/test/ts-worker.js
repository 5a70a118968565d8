// Lets the worker threads that unit tests start load TypeScript sources (the gateway itself runs the compiled
// JavaScript): passed to a worker as `--require`, it transpiles each `.ts` file on load, without type checks
// (ts-jest checks them in the tests' own thread).
const { readFileSync } = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};
