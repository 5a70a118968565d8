// Copies Chart.js's browser build from the pinned npm dependency into public/vendor, where the pages load it from
// the gateway itself (no CDN; the Content-Security-Policy allows scripts from the gateway only).
const { copyFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const dist = dirname(require.resolve('chart.js'));
mkdirSync(join(__dirname, '..', 'public', 'vendor'), { recursive: true });
copyFileSync(join(dist, 'chart.umd.min.js'), join(__dirname, '..', 'public', 'vendor', 'chart.umd.js'));
