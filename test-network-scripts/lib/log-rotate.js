#!/usr/bin/env node
// Copies a process's output (stdin) to <file>, rotating at <max bytes> and keeping <keep> old files
// (<file>.1 newest … <file>.<keep>), so a node logging all day cannot fill the disk.
//   log-rotate.js <file> [max bytes, default 20 MB] [keep, default 3]
// It never exits before its input ends: the node writing to it would die of SIGPIPE.
'use strict';

const fs = require('node:fs');

const [file, maxArg = String(20 * 1024 * 1024), keepArg = '3'] = process.argv.slice(2);
const max = Number(maxArg);
const keep = Number(keepArg);
process.on('SIGINT', () => {}); // a Ctrl-C in the terminal stops the node; its output still arrives here
process.on('SIGTERM', () => {});

let fd = fs.openSync(file, 'a', 0o600);
let size = fs.fstatSync(fd).size;

function rotate() {
  fs.closeSync(fd);
  try {
    for (let i = keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    fs.renameSync(file, `${file}.1`);
  } catch (err) {
    process.stderr.write(`[log-rotate] ${file}: ${err.message}\n`);
  }
  fd = fs.openSync(file, 'a', 0o600);
  size = 0;
}

process.stdin.on('data', (chunk) => {
  try {
    if (size + chunk.length > max && size > 0) rotate();
    fs.writeSync(fd, chunk);
    size += chunk.length;
  } catch (err) {
    process.stderr.write(`[log-rotate] ${file}: ${err.message}\n`);
  }
});
process.stdin.on('end', () => fs.closeSync(fd));
