// Lesson 10's live experiment: the character model trains in the page and then writes text at a
// temperature the reader chooses. The same model and loop as the lesson (initCharRnn, trainCharLm:
// truncated BPTT over chunks of 25 characters, Adam, clipping at norm 5, weights from seed
// "lesson-10-model"), on the first 49,960 characters of data/shakespeare/tragedies.txt (the start of
// Hamlet; the worker cannot read files, so this slice travels in the bundle: _tragedies.ts). The
// vocabulary is the slice's own. Sampling uses sampleText with the seed "lesson-10-sample".
import type { Experiment, LiveHost } from "../experiment";
import { makeRng } from "../../../../lib/random";
import { paramArrays } from "../../../../lib/params";
import { makeVocab, encodeText, vocabFromChars } from "../../../../lib/text";
import { initCharRnn, sampleText } from "../../../../lib/charlm";
import { trainCharLm } from "../../../../lib/charlm-train";
import { paramsObject, intIn, numberIn, seedOf, element, button, debounce } from "./_helpers";
import { TRAGEDIES_START } from "./_tragedies";
import { numberField, slider, textField, status, livePlot, row, note, runButtons, runner } from "../ui";
import { describe } from "../../../../lib/checks";

export interface CharParams {
  H: number;
  /** chunks of seqLength characters (= updates); a multiple of EVERY */
  iterations: number;
  seqLength: number;
  lr: number;
  /** seed of the initial weights */
  seed: string | number;
  /** the sample after training: its temperature, seed, priming text and length */
  temperature: number;
  sampleSeed: string | number;
  prime: string;
  sampleLength: number;
}

/** Progress every EVERY iterations; every SAMPLE_EVERY iterations with a short sample at the chosen temperature. */
export interface CharMessage {
  iteration: number;
  loss: number;
  sample: string | null;
}

export interface CharResult {
  /** the vocabulary (the slice's distinct characters, sorted) */
  chars: string[];
  H: number;
  /** mean loss of every block of EVERY chunks, nats per character */
  losses: Float64Array;
  /** the sample after training */
  sample: string;
  /** the trained weights, by name (Wxh, Whh, Why, bh, by), so the page can sample again at other temperatures */
  weights: Array<{ name: string; values: Float64Array }>;
}

const FN = "10-char-lm";
export const EVERY = 100;
const SAMPLE_EVERY = 500;
const PROGRESS_SAMPLE_LENGTH = 80;

/** The text the model reads: the slice, its vocabulary and its indices. */
export function textData(): { text: string; ids: Int32Array; chars: string[] } {
  const vocab = makeVocab(TRAGEDIES_START);
  return { text: TRAGEDIES_START, ids: encodeText(vocab, TRAGEDIES_START), chars: vocab.chars };
}

function compute(params: CharParams, emit: (m: CharMessage) => void): CharResult {
  const o = paramsObject(FN, params);
  const H = intIn(FN, "H", o.H, 1, 256);
  const iterations = intIn(FN, "iterations", o.iterations, EVERY, 100000);
  if (iterations % EVERY !== 0) throw new Error(`${FN}: params.iterations is ${iterations}, expected a multiple of ${EVERY}`);
  const seqLength = intIn(FN, "seqLength", o.seqLength, 1, 200);
  const lr = numberIn(FN, "lr", o.lr, 1e-6, 1);
  const seed = seedOf(FN, "seed", o.seed);
  const temperature = numberIn(FN, "temperature", o.temperature, 0.05, 5);
  const sampleSeed = seedOf(FN, "sampleSeed", o.sampleSeed);
  if (typeof o.prime !== "string" || o.prime.length === 0) throw new Error(`${FN}: params.prime is ${describe(o.prime)}, expected at least one character`);
  const prime = o.prime;
  const sampleLength = intIn(FN, "sampleLength", o.sampleLength, 1, 5000);
  const vocab = makeVocab(TRAGEDIES_START);
  encodeText(vocab, prime, `${FN}: params.prime`); // a character outside the text is refused before training, not after
  const ids = encodeText(vocab, TRAGEDIES_START);
  const p = initCharRnn({ V: vocab.chars.length, H, seed });
  const history = trainCharLm(p, ids, {
    seqLength, iterations, every: EVERY, lr, clipNorm: 5, update: { rule: "adam" },
    onProgress: (s) => {
      const sample = s.iteration % SAMPLE_EVERY === 0 && s.iteration < iterations
        ? sampleText(p, vocab, { rng: makeRng(`${sampleSeed}-${s.iteration}`), length: PROGRESS_SAMPLE_LENGTH, prime, temperature })
        : null;
      emit({ iteration: s.iteration, loss: s.loss, sample });
    },
  });
  const sample = sampleText(p, vocab, { rng: makeRng(sampleSeed), length: sampleLength, prime, temperature });
  return {
    chars: vocab.chars, H,
    losses: Float64Array.from(history, (s) => s.loss),
    sample,
    weights: paramArrays(p).map(([name, values]) => ({ name, values })),
  };
}

function mount(root: HTMLElement, host: LiveHost<CharParams, CharMessage, CharResult>): void {
  const d = experiment.defaults;
  note(root, "Train the lesson's character model here, in your browser, on the first 49,960 characters of the tragedies " +
    "(the start of <i>Hamlet</i>): <i>H</i> hidden units, chunks of 25 characters, Adam, gradients clipped at norm 5, weights from seed " +
    "<code>\"lesson-10-model\"</code>. A model that knows nothing pays ln <i>V</i> nats per character. After training, " +
    "move the temperature (the same seed, so only the temperature changes the text) or press <b>Sample again</b> for a new seed, without retraining.");
  const controls = row(root);
  const itField = numberField(controls, { label: "iterations (multiple of 100)", min: 100, max: 100000, step: 100, value: d.iterations });
  const hField = numberField(controls, { label: "hidden size H", min: 1, max: 256, step: 1, value: d.H });
  const lrField = numberField(controls, { label: "learning rate", min: 0.000001, max: 1, value: d.lr });
  const sampling = row(root);
  let temperature = d.temperature;
  // after training, moving the temperature resamples with the same seed: only the temperature changes the text
  slider(sampling, { label: "temperature", min: 0.1, max: 2, step: 0.05, value: temperature, format: (v) => v.toFixed(2), onInput: (v) => { temperature = v; resampleSoon(); } });
  const primeField = textField(sampling, { label: "priming text", value: d.prime.replace(/\n$/, "") });
  const st = status(root);
  const plot = livePlot(root, {
    title: "Training loss per 100 chunks", xTitle: "iteration", yTitle: "nats per character",
    traces: [{ name: "training loss", mode: "lines" }],
  });
  element(root, "p", "live-label", "Sample:");
  const out = element(root, "pre", "live-sample");
  out.setAttribute("aria-live", "polite");
  out.tabIndex = 0; // a scrollable region is reachable by keyboard
  let trained: CharResult | null = null;
  let samples = 0; // "Sample again" presses since training: each draws with a new seed
  /** Samples from the trained weights here on the page (a few milliseconds): no retraining. */
  const resample = () => {
    if (!trained) return;
    const res = trained;
    const vocab = vocabFromChars(res.chars);
    const p = initCharRnn({ V: res.chars.length, H: res.H, seed: 0 }); // shapes only: every array is overwritten below
    const byName = new Map(res.weights.map((w) => [w.name, w.values]));
    for (const [name, w] of paramArrays(p)) w.set(byName.get(name) as Float64Array);
    const seedNow = samples === 0 ? String(d.sampleSeed) : `${d.sampleSeed}-again-${samples}`;
    try {
      const prime = primeOf();
      out.textContent = prime + sampleText(p, vocab, { rng: makeRng(seedNow), length: d.sampleLength, prime, temperature });
      st.set(`Sampled at temperature ${temperature.toFixed(2)} with seed "${seedNow}".`);
    } catch (e) {
      st.set((e as Error).message);
    }
  };
  const sampleAgain = button(sampling, "Sample again", () => {
    samples += 1;
    resample();
  });
  sampleAgain.disabled = true;
  // the priming text is a line of its own, as a speaker's name is in the play
  const primeOf = () => primeField.value() + "\n";
  const resampleSoon = debounce(() => resample(), 100);
  const buttons = runButtons(controls, { runLabel: "Train", onRun: () => go(), onStop: () => r.stop() });
  const r = runner(host, st, buttons, { running: "Training…" });
  const go = () => {
    let params: CharParams;
    try {
      params = { ...d, iterations: itField.value(), H: hField.value(), lr: lrField.value(), temperature, prime: primeOf() };
      if (params.iterations % EVERY !== 0) throw new Error(`iterations: ${params.iterations} is not a multiple of ${EVERY}`);
    } catch (e) {
      st.set((e as Error).message);
      return;
    }
    plot.clear();
    sampleAgain.disabled = true;
    r.start(params, (m) => {
      plot.push(0, m.iteration, m.loss);
      if (m.sample !== null) out.textContent = `(iteration ${m.iteration}) ${params.prime}${m.sample}`;
      st.set(`Training: iteration ${m.iteration} of ${params.iterations}, loss ${m.loss.toFixed(3)} nats per character.`);
    }, (res) => {
      plot.flush();
      trained = res;
      samples = 0;
      sampleAgain.disabled = false;
      out.textContent = params.prime + res.sample;
      st.set(`Done: ${params.iterations} iterations, final loss ${res.losses[res.losses.length - 1].toFixed(3)} nats per character ` +
        `(ln V = ln ${res.chars.length} = ${Math.log(res.chars.length).toFixed(2)}); sample at temperature ${params.temperature.toFixed(2)}, seed "${params.sampleSeed}".`);
    });
  };
  st.set("Press Train to start: the defaults take a few seconds, and Stop ends a run at once.");
}

const experiment: Experiment<CharParams, CharMessage, CharResult> = {
  lesson: "10-char-lm",
  title: "train the character model and sample from it",
  defaults: {
    H: 64, iterations: 1000, seqLength: 25, lr: 0.004, seed: "lesson-10-model",
    temperature: 0.8, sampleSeed: "lesson-10-sample", prime: "HAMLET.\n", sampleLength: 300,
  },
  compute,
  mount,
};
export default experiment;
