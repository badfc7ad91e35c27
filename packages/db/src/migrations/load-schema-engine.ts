import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DiffTarget, SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The Prisma CLI wants a native
 * schema-engine binary that it downloads at install time; this machine cannot download it,
 * so diffs are computed with the wasm build instead.
 * Node 20 cannot `import` a .wasm module, so the bytes are instantiated by hand.
 */
type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(exports: Record<string, unknown>): void;
};

/** The slice of the WebAssembly global used here (its types live in lib.dom, which Node code does not load). */
interface WasmInstantiator {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, unknown>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmInstantiator }).WebAssembly;

// The wasm-bindgen glue holds one module instance in a module-level variable, so the module is
// instantiated once per process and every engine shares it.
let bindingsPromise: Promise<Bindings> | undefined;

async function instantiateBindings(): Promise<Bindings> {
  const packageDir = dirname(
    fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
  );
  const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindings;
  const bytes = await readFile(join(packageDir, "schema_engine_bg.wasm"));
  const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports["__wbindgen_start"];
  if (typeof start === "function") (start as () => void)();
  return bindings;
}

export async function loadSchemaEngine(schemaText: string, databaseUrl: string): Promise<SchemaEngine> {
  bindingsPromise ??= instantiateBindings();
  const bindings = await bindingsPromise;
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  return bindings.SchemaEngine.new(
    { datamodels: [["schema.prisma", schemaText]] },
    () => undefined,
    adapterFactory,
  );
}

/** SQL that turns the `from` schema into the `to` schema, as `prisma migrate diff --script` prints it. */
export async function diffSchemas(engine: SchemaEngine, from: DiffTarget, to: DiffTarget): Promise<string> {
  const result = await engine.diff({
    from,
    to,
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout ?? "";
}
