// Not built in a lesson: the browser-safe public API in one import (`./lib/index`). No Node-only module
// is reachable from here (test/unit/api.test.ts checks it); the documentation is on the definitions.
// Node-only, not re-exported: files.ts, io.ts (data set files), model-io.ts (model files).
export * from "./random";
export * from "./data";
export * from "./long-data";
export * from "./params";
export * from "./forward";
export * from "./loss";
export * from "./bptt";
export * from "./gradcheck";
export * from "./cell-types";
export * from "./rnn";
export * from "./lstm";
export * from "./gru";
export * from "./cells";
export * from "./optim";
export * from "./momentum";
export * from "./adam";
export * from "./update";
export * from "./loop";
export * from "./train";
export * from "./evaluate";
export * from "./serialize";
export * from "./softmax";
export * from "./text";
export * from "./charlm";
export * from "./charlm-train";
