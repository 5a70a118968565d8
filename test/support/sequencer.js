// Runs suites in a fixed order: the fault tests stop and restart nodes, so they go late, and the test that
// adds a fifth organisation goes last.
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['/e2e/', '/browser/', '/network/', '/organisations/'];
const rank = (path) => {
  const i = ORDER.findIndex((dir) => path.includes(dir));
  return i === -1 ? ORDER.length : i;
};

class FixedOrderSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = FixedOrderSequencer;
