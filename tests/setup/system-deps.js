#!/usr/bin/env node
// Pretest: make sure the system programs the tests drive are present (Chromium for the task-pane end-to-end
// tests, LibreOffice Calc for reading report workbooks, poppler's pdftoppm for pictures of their pages). Installs them with apt-get when running as root on
// Debian; otherwise stops with the exact command to run. Never skips silently.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');

const needs = [
  { program: '/usr/bin/chromium', packages: ['chromium'], why: 'task-pane end-to-end tests' },
  {
    program: '/usr/bin/soffice',
    packages: ['libreoffice-calc-nogui'],
    why: 'report workbook tests',
    noRecommends: true,
  },
  {
    program: '/usr/bin/pdftoppm',
    packages: ['poppler-utils'],
    why: 'report rendering test (one page of each sheet as a picture)',
    noRecommends: true,
  },
];

const missing = needs.filter((n) => !fs.existsSync(n.program));
if (missing.length === 0) process.exit(0);

const commands = [];
for (const recommends of [true, false]) {
  const pkgs = missing.filter((n) => Boolean(n.noRecommends) !== recommends).flatMap((n) => n.packages);
  if (pkgs.length > 0)
    commands.push(['apt-get', 'install', '-y', ...(recommends ? [] : ['--no-install-recommends']), ...pkgs]);
}
const printable = ['apt-get update', ...commands.map((c) => c.join(' '))].join(' && ');

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = fs.existsSync('/etc/debian_version') && spawnSync('which', ['apt-get']).status === 0;
if (!isRoot || !isDebian) {
  console.error(`Missing system programs: ${missing.map((m) => `${m.program} (${m.why})`).join(', ')}.`);
  console.error(`Install them with:\n  sudo sh -c '${printable}'`);
  process.exit(1);
}

console.log(
  `Installing ${missing.flatMap((m) => m.packages).join(', ')} for the ${missing.map((m) => m.why).join(' and ')}...`,
);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
for (const c of commands) execFileSync(c[0], c.slice(1).concat(['-q']), { stdio: 'inherit', env });
for (const m of missing) {
  if (!fs.existsSync(m.program)) {
    console.error(`${m.program} is still missing after installing ${m.packages.join(', ')}.`);
    process.exit(1);
  }
}
