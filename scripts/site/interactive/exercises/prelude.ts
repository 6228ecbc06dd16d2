// Build time (Node): what an exercise cell can see on the lesson page.
//
// In the notebook, the cell tagged exercise-N.k runs after every earlier cell, so it uses their names:
// imports (`checkUpdateCount`, `sequence`), functions (`sgdEpoch` in 05), data (`train` in 03). On the
// page the learner's code runs alone in a worker, so it gets a *prelude*: JavaScript that rebuilds that
// scope, made here from the notebook's own cells:
//   - every import of an earlier cell, as `const { a, b: c } = require("lib/params")` (a type-only
//     import is dropped; a Node-only module's names become functions that throw a clear error);
//   - the earlier top-level declarations that the stub or the solution needs, found by their names
//     and followed to what those need in turn (for 06: `p`, `x`, `T`, `y`, `lossOf`, `trainSet`),
//     types stripped by sucrase. Statements that only compute or print are never copied;
//   - a name that the solution needs but the lesson never defines comes from the solutions
//     notebook's own setup cells (10's `softmaxAt`), so the solution shown on the page passes there;
//   - a name declared by an EARLIER exercise cell (3.4's solution calls 3.3's meanLossOfConstant) is
//     not copied: the page runs the learner's current code of that exercise first, quietly (deps).
// A copied `let`/`var` that a later statement reassigns could not be rebuilt with the notebook's value,
// so that, and two copied declarations of one name, fail the build with the names of the cells.
import ts from "typescript";
import { transform } from "sucrase";
import { joinText, type Cell, type Notebook } from "../../../common/nbformat";
import { moduleKey } from "./modules";

/** What the page needs to run one exercise (the JSON of its `<script class="rnn-exercise">`). */
export interface ExerciseSpec {
  /** The notebook's name without .ipynb ("05-training"): the localStorage key and the test's handle. */
  lesson: string;
  /** "5.3" */
  id: string;
  /** The stub: the exercise cell's source, exactly. */
  stub: string;
  /** JavaScript run before the learner's code, in an outer scope (the learner's code may shadow it). */
  prelude: string;
  /** Earlier exercises whose declarations this one uses, and which names. */
  deps: { id: string; names: string[] }[];
}

const EXERCISE_TAG = /^exercise-(\d+\.\d+)$/;
const SOLUTION_TAG = /^solution-(\d+\.\d+)$/;
const tagsOf = (cell: Cell): string[] => (cell.metadata && Array.isArray(cell.metadata.tags) ? cell.metadata.tags : []);
const tagged = (cell: Cell, re: RegExp): string | null => {
  for (const t of tagsOf(cell)) {
    const m = re.exec(t);
    if (m) return m[1];
  }
  return null;
};

interface ImportBinding { local: string; imported: string; module: string }
interface Decl { text: string; declares: string[]; uses: Set<string>; mutable: boolean; where: string; order: number }
interface Scope {
  imports: Map<string, ImportBinding>;
  /** name -> the statement that (last) declares it, or the earlier exercise that does */
  decls: Map<string, { decl: Decl } | { exercise: string }>;
  /** names a top-level statement assigns to (x = …, x += …, x++), with where */
  assigned: Map<string, string[]>;
}

const parse = (src: string, name: string) => ts.createSourceFile(name, src, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/** Names the statements of a block declare in it (let/const/var, functions, classes, enums). */
function blockNames(statements: readonly ts.Statement[]): string[] {
  const out: string[] = [];
  for (const st of statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindingNames(d.name, out);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) out.push(st.name.text);
  }
  return out;
}

/**
 * Names a piece of code reads from outside itself: identifiers in value positions that no enclosing
 * scope of the code declares (blocks, functions and their parameters, for-loop and catch variables).
 * `var` is treated as block-scoped, which can only add a name, never miss one.
 */
export function freeNames(node: ts.Node): Set<string> {
  const free = new Set<string>();
  const scopes: Set<string>[] = [];
  const declared = (name: string) => scopes.some((s) => s.has(name));
  const withScope = (names: string[], f: () => void) => {
    scopes.push(new Set(names));
    f();
    scopes.pop();
  };
  const visit = (n: ts.Node): void => {
    if (ts.isTypeNode(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) || ts.isImportDeclaration(n)) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName =
        (p && ts.isPropertyAccessExpression(p) && p.name === n) ||
        (p && (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === n) ||
        (p && ts.isBindingElement(p) && p.propertyName === n) ||
        (p && (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p))) ||
        (p && (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p) || ts.isEnumDeclaration(p)) && p.name === n);
      if (!isName && !declared(n.text)) free.add(n.text);
      return;
    }
    if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n)) return withScope(blockNames(n.statements), () => ts.forEachChild(n, visit));
    if (ts.isCaseBlock(n)) return withScope(blockNames(n.clauses.flatMap((c) => [...c.statements])), () => ts.forEachChild(n, visit));
    if (ts.isFunctionLike(n)) {
      const names: string[] = [];
      for (const prm of n.parameters) bindingNames(prm.name, names);
      if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name) names.push(n.name.text);
      return withScope(names, () => ts.forEachChild(n, visit));
    }
    if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer)) {
      const names: string[] = [];
      for (const d of n.initializer.declarations) bindingNames(d.name, names);
      return withScope(names, () => ts.forEachChild(n, visit));
    }
    if (ts.isCatchClause(n) && n.variableDeclaration) {
      const names: string[] = [];
      bindingNames(n.variableDeclaration.name, names);
      return withScope(names, () => ts.forEachChild(n, visit));
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return free;
}

/** Names a statement assigns to at its top level or inside its blocks (not inside functions it defines). */
function assignedNames(node: ts.Node, out: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(n.left)) out.add(n.left.text);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) out.add(n.operand.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/** Adds one code cell's top-level statements to the scope (later declarations win, as in the kernel). */
function addCell(scope: Scope, src: string, where: string, exerciseId: string | null, order: { n: number }): void {
  const sf = parse(src, where);
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (!clause || clause.isTypeOnly || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const module = moduleKey(st.moduleSpecifier.text);
      const add = (local: string, imported: string) => {
        scope.imports.set(local, { local, imported, module });
        scope.decls.delete(local);
      };
      if (clause.name) add(clause.name.text, "default");
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, "*");
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) add(el.name.text, (el.propertyName || el.name).text);
      continue;
    }
    const declares: string[] = [];
    let mutable = false;
    if (ts.isFunctionDeclaration(st) && st.name && st.body) declares.push(st.name.text);
    else if (ts.isClassDeclaration(st) && st.name) declares.push(st.name.text);
    else if (ts.isEnumDeclaration(st)) declares.push(st.name.text);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) bindingNames(d.name, declares);
      mutable = (st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== ts.NodeFlags.Const;
    }
    const assigned = new Set<string>();
    assignedNames(st, assigned);
    if (ts.isVariableStatement(st)) for (const d of declares) assigned.delete(d); // its own initialiser
    for (const a of assigned) scope.assigned.set(a, [...(scope.assigned.get(a) || []), where]);
    if (!declares.length) continue;
    const decl: Decl = { text: st.getText(sf), declares, uses: freeNames(st), mutable, where, order: order.n++ };
    for (const d of declares) {
      scope.decls.set(d, exerciseId ? { exercise: exerciseId } : { decl });
      scope.imports.delete(d);
    }
  }
}

const newScope = (): Scope => ({ imports: new Map(), decls: new Map(), assigned: new Map() });

/** Strips the types of one TypeScript statement (sucrase: the same transpiler as the page's). */
const toJs = (text: string): string => transform(text, { transforms: ["typescript"], disableESTransforms: true }).code.trim();

/**
 * The exercises of one lesson, each with its stub, its prelude and its deps. `available` holds the
 * module keys the page's worker provides (bundle.ts); an import of another module becomes a function
 * that throws "not available on this page". Throws, naming the notebook and cells, when a needed value
 * cannot be rebuilt (see the file comment).
 */
export function exerciseSpecs(nb: Notebook, file: string, solutions: { nb: Notebook; file: string } | null, available: Set<string>): ExerciseSpec[] {
  const lesson = file.replace(/^.*\//, "").replace(/\.ipynb$/, "");
  const solutionSrc = new Map<string, { src: string; index: number }>();
  if (solutions) {
    solutions.nb.cells.forEach((c, index) => {
      const id = c.cell_type === "code" ? tagged(c, SOLUTION_TAG) : null;
      if (id) solutionSrc.set(id, { src: joinText(c.source), index });
    });
  }
  const specs: ExerciseSpec[] = [];
  const scope = newScope();
  const order = { n: 0 };
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const src = joinText(cell.source);
    const id = tagged(cell, EXERCISE_TAG);
    if (id) {
      const sol = solutionSrc.get(id);
      const fallback = newScope();
      if (solutions && sol) {
        const fo = { n: 1e6 }; // after the lesson's statements
        solutions.nb.cells.slice(0, sol.index).forEach((c, j) => {
          if (c.cell_type === "code" && !tagged(c, SOLUTION_TAG)) addCell(fallback, joinText(c.source), `${solutions.file}, cell ${j + 1}`, null, fo);
        });
      }
      const needed = new Set([...freeNames(parse(src, "stub")), ...(sol ? freeNames(parse(sol.src, "solution")) : [])]);
      specs.push({ lesson, id, stub: src, ...preludeFor(`${file}, exercise ${id}`, scope, fallback, needed, available) });
    }
    addCell(scope, src, `${file}, cell ${i + 1}`, id, order);
  });
  return specs;
}

function preludeFor(where: string, scope: Scope, fallback: Scope, needed: Set<string>, available: Set<string>): { prelude: string; deps: ExerciseSpec["deps"] } {
  const decls = new Map<Decl, Scope>();
  const deps = new Map<string, string[]>();
  const imports = new Map(scope.imports);
  const queue = [...needed].map((name) => ({ name, from: scope }));
  const seen = new Set<string>();
  while (queue.length) {
    const { name, from } = queue.shift()!;
    const key = `${from === scope ? "l" : "s"}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // the lesson first; a name it lacks from the solutions' setup (whose own names resolve there first)
    for (const s of from === scope ? [scope, fallback] : [fallback, scope]) {
      const hit = s.decls.get(name);
      if (hit && "exercise" in hit) {
        deps.set(hit.exercise, [...(deps.get(hit.exercise) || []), name]);
        break;
      }
      if (hit) {
        if (!decls.has(hit.decl)) {
          decls.set(hit.decl, s);
          for (const u of hit.decl.uses) queue.push({ name: u, from: s });
        }
        break;
      }
      const imp = s.imports.get(name);
      if (imp) {
        if (s === fallback && !imports.has(name)) imports.set(name, imp);
        break;
      }
    }
  }
  const chosen = [...decls.keys()].sort((a, b) => a.order - b.order);
  const names = new Map<string, string>();
  for (const d of chosen) {
    for (const n of d.declares) {
      if (names.has(n)) throw new Error(`${where}: the page would declare ${n} twice (${names.get(n)} and ${d.where}); rename one`);
      names.set(n, d.where);
      imports.delete(n);
      const owner = decls.get(d)!;
      if (d.mutable && owner.assigned.has(n)) {
        throw new Error(`${where} uses ${n} (${d.where}), which ${owner.assigned.get(n)!.join(", ")} reassigns: the page cannot rebuild its value; make it a const or compute it in the exercise`);
      }
    }
  }
  const lines: string[] = [];
  const byModule = new Map<string, ImportBinding[]>();
  for (const b of imports.values()) byModule.set(b.module, [...(byModule.get(b.module) || []), b]);
  for (const [module, bs] of byModule) {
    const named = bs.filter((b) => b.imported !== "*");
    for (const b of bs.filter((x) => x.imported === "*")) {
      lines.push(available.has(module) ? `const ${b.local} = require(${JSON.stringify(module)});` : `const ${b.local} = unavailable(${JSON.stringify(module)}, "*");`);
    }
    if (!named.length) continue;
    if (available.has(module)) {
      lines.push(`const { ${named.map((b) => (b.imported === b.local ? b.local : `${b.imported}: ${b.local}`)).join(", ")} } = require(${JSON.stringify(module)});`);
    } else {
      for (const b of named) lines.push(`const ${b.local} = unavailable(${JSON.stringify(module)}, ${JSON.stringify(b.imported)});`);
    }
  }
  for (const d of chosen) lines.push(`// ${d.where}\n${toJs(d.text)}`);
  return { prelude: lines.join("\n"), deps: [...deps].map(([id, ns]) => ({ id, names: [...new Set(ns)] })) };
}
