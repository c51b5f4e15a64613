#!/usr/bin/env node
// Committed shim so the bin exists at install time; the program is built into dist/.
import "../dist/bin.js"
