// `npm run wasm`: compile lib/simd-wat.ts's KERNEL_WAT with wabt and write the binary into KERNEL_WASM
// (base64), so that the library needs no compiler at run time. test/unit/simd.test.ts fails when the
// two disagree. The file is written atomically.
import * as fs from "fs";
import * as path from "path";
import { KERNEL_WAT } from "../lib/simd-wat";
import { writeFileAtomic } from "../lib/files";

/** KERNEL_WAT compiled to WebAssembly, as base64. */
export async function compileKernel(): Promise<string> {
  const wabt = await (require("wabt") as () => Promise<{ parseWat(name: string, text: string, features: object): { validate(): void; toBinary(o: object): { buffer: Uint8Array }; destroy(): void } }>)();
  const mod = wabt.parseWat("lib/simd-wat.ts KERNEL_WAT", KERNEL_WAT, { simd: true });
  try {
    mod.validate(); // types and stack shapes, so that a mistake shows here and not as "no SIMD" at run time
    return Buffer.from(mod.toBinary({}).buffer).toString("base64");
  } finally {
    mod.destroy();
  }
}

if (require.main === module) {
  compileKernel().catch((e: Error) => {
    console.error(`npm run wasm: ${e.message}`);
    process.exit(1);
  }).then((b64) => {
    if (typeof b64 !== "string") return;
    const file = path.join(__dirname, "..", "lib", "simd.ts");
    const src = fs.readFileSync(file, "utf8");
    const next = src.replace(/export const KERNEL_WASM = "[^"]*";/, `export const KERNEL_WASM = "${b64}";`);
    if (next === src) console.log(`lib/simd.ts: KERNEL_WASM is already up to date (${Buffer.from(b64, "base64").length} bytes)`);
    else {
      writeFileAtomic(file, next);
      console.log(`lib/simd.ts: KERNEL_WASM rewritten (${Buffer.from(b64, "base64").length} bytes)`);
    }
  });
}
