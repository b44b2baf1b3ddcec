// The build's second step: tsc copies no .lua files, and the compiled scripts.js reads
// its Lua from beside itself (dist/src/redis/lua/). CLIPBOT_DIST: another output folder.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const dist = process.env.CLIPBOT_DIST ?? 'dist';
cpSync('src/redis/lua', join(dist, 'src/redis/lua'), { recursive: true });
