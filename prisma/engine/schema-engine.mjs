#!/usr/bin/env node
// placeholder replaced by the schema-engine stand-in work
process.stderr.write("schema-engine stand-in not yet written\n");
process.exit(1);
