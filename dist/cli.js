#!/usr/bin/env node
import module from 'node:module';
// The CLI is one bundle of about 1 MB, and V8 compiles it again on every run: about 40 ms of
// a 10-operation transpile. Node 22.1 and later can keep the compiled code on disk
// (os.tmpdir()/node-compile-cache; NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1
// turns it off). The cache only covers modules loaded after it is enabled, so this launcher
// enables it and then loads the bundle, which scripts/build.mjs writes next to it.
module.enableCompileCache?.();
const bundle = './cli-main.js';
await import(bundle);
