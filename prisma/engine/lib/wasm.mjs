// Loads Prisma's schema engine compiled to WebAssembly. The .wasm shipped inside the installed
// CLI (node_modules/prisma/build) is the build that matches the CLI; the JS glue comes from
// @prisma/schema-engine-wasm. We check that every import the module needs exists in the glue
// before using it, and fall back to the .wasm of the glue package if not.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

// The glue reports panics through this global; it must exist before the module starts.
globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
  message: "",
  set_message(message) {
    this.message = `RuntimeError: ${message}`;
  },
};

function candidateWasmPaths() {
  const paths = [];
  if (process.env.PRISMA_STAND_IN_WASM) paths.push(path.resolve(process.env.PRISMA_STAND_IN_WASM));
  try {
    paths.push(path.join(path.dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm"));
  } catch {
    // prisma not installed: only the glue package's own build is left
  }
  const gluePackage = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  paths.push(path.join(gluePackage, "schema_engine_bg.wasm"));
  return paths;
}

let loaded;

/** Returns the glue module (SchemaEngine, version) with an instantiated engine behind it. */
export function loadWasmEngine() {
  loaded ??= (async () => {
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const problems = [];
    for (const file of candidateWasmPaths()) {
      if (!fs.existsSync(file)) {
        problems.push(`${file}: missing`);
        continue;
      }
      const module = await WebAssembly.compile(fs.readFileSync(file));
      const imports = WebAssembly.Module.imports(module);
      const missing = imports.filter((entry) => entry.module !== "./schema_engine_bg.js" || typeof glue[entry.name] !== "function");
      if (missing.length > 0) {
        problems.push(`${file}: glue lacks ${missing.slice(0, 3).map((entry) => entry.name).join(", ")}`);
        continue;
      }
      const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": glue });
      glue.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
      return { glue, wasmPath: file };
    }
    throw new Error(`No usable schema_engine_bg.wasm found:\n${problems.join("\n")}`);
  })();
  return loaded;
}
