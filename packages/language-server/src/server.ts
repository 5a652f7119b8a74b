/**
 * Wires an LSP connection to the document store and the feature functions. No language
 * logic lives here: each handler finds the analysis, calls a pure feature function and
 * returns its result. Every request is guarded: a failure is logged to the connection
 * console and answered with an empty result, never an error response (cancellation
 * excepted, which answers RequestCancelled as the protocol asks).
 */
import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type FormattingOptions,
  type InitializeParams,
  type InitializeResult,
  type TextEdit,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { KEYWORDS, displayUri, normalizeUri, resolveImport } from "@diffuse/language";
import type { Analysis } from "./analysis.js";
import { analyze } from "./language.js";
import { DocumentStore } from "./store.js";
import { DEFAULT_SETTINGS, parseSettings, type Settings } from "./settings.js";
import { toLspDiagnostic, type ConversionContext } from "./diagnostics.js";
import { documentSymbols } from "./features/symbols.js";
import { foldingRanges } from "./features/folding.js";
import { documentLinks } from "./features/links.js";
import { LEGEND, semanticTokens } from "./features/semanticTokens.js";
import { completion } from "./features/completion.js";
import { hover } from "./features/hover.js";
import { declarationAt, definition, documentHighlights, prepareRename, references, rename } from "./features/navigation.js";
import {
  FORMAT_CONFIG_GLOBS,
  editsOf,
  formatDocument,
  formatOptions,
  formatRange,
  isFormatConfigFile,
  notFormattedMessage,
  type ConfiguredFormatOptions,
  type FormatOptions,
  type FormatResult,
} from "./features/formatting.js";
import { codeActions } from "./features/codeActions.js";
import { COMMANDS, isTestFile, policyCodeLenses, testFileCodeLenses } from "./features/codeLens.js";
import { evaluateExamples, runTests, testsReferencing, type CommandEnv } from "./features/commands.js";
import { documentFor } from "./positions.js";

/** What differs between the Node and the browser entry: how files outside the editor are found and read. */
export interface ServerHost {
  /** Reads a file that is not open; undefined when it does not exist. */
  readFile(uri: string): Promise<string | undefined>;
  /** Every file under the workspace folders whose name ends with `suffix` (may be empty when unsupported). */
  findFiles(folders: readonly string[], suffix: string): Promise<string[]>;
  /**
   * The formatting options a document's configuration files set (.prettierrc with its
   * overrides, .editorconfig), where the host has a file system to read them from.
   * Without it (the browser worker) formatting uses the client's settings only.
   */
  readonly formatConfig?: FormatConfigReader;
}

/** Reads formatting configuration the way `diffuse fmt` does (prettier-plugin-diffuse/config). */
export interface FormatConfigReader {
  /**
   * The options the configuration files set for the document at `uri` (only those);
   * undefined when none applies. Rejects when a configuration file cannot be read.
   */
  resolve(uri: string): Promise<ConfiguredFormatOptions | undefined>;
  /** Forgets what was read and cached: a configuration file changed. */
  invalidate(): Promise<void>;
}

export interface ServerHandle {
  readonly store: DocumentStore;
  /** Resolves when the diagnostics scheduled so far have been published. */
  idle(): Promise<void>;
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/**
 * The URI of a document the client names, in the one spelling the server keys documents
 * by (the language package's `normalizeUri`, which is VS Code's own): imports resolve to
 * that spelling, so a client that encodes a name differently (`(` as typed rather than
 * `%28`) still has its open document found by the files that import it. Every URI from
 * the client or the host goes through it; what the server sends back is in that spelling.
 */
function uriOf(named: { readonly uri: string }): string {
  return normalizeUri(named.uri);
}

/** Resolves in the next macrotask, after the tasks already queued (setImmediate where there is one). */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === "function") setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

export function createServer(connection: Connection, host: ServerHost): ServerHandle {
  const store = new DocumentStore(analyze, (uri) => host.readFile(uri));
  let settings: Settings = DEFAULT_SETTINGS;
  let folders: string[] = [];
  let canPullConfiguration = false;
  let canRegisterWatchers = false;
  let canRefreshLenses = false;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const inFlight = new Set<Promise<void>>();
  let testFiles: Promise<{ uri: string; text: string }[]> | undefined;
  /** The workspace's .diffuse files, listed once until a file is created or deleted. */
  let diffuseFiles: Promise<string[]> | undefined;

  /** The host's files under the workspace folders (none when it cannot list them), in the server's spelling. */
  const findFiles = (suffix: string): Promise<string[]> =>
    host.findFiles(folders, suffix).then(
      (uris) => uris.map(normalizeUri),
      () => [],
    );
  const log = (message: string): void => connection.console.log(message);
  /** A warning for the user (window/showMessage: a notification, nothing to answer). */
  const warn = (message: string): void =>
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
  const verbose = (message: string): void => {
    if (settings.trace.server === "verbose") connection.console.log(message);
  };

  /** docs/diagnostics.md in the workspace, when there is one (found once, after initialize). */
  let workspaceDocs: string | undefined;
  const conversion = (analysis: Analysis | undefined): ConversionContext => {
    const docsUrl = settings.diagnostics.docsUrl !== "" ? settings.diagnostics.docsUrl : workspaceDocs;
    const context: ConversionContext = {
      documentFor: (uri: string): TextDocument | undefined => analysis?.files.get(uri)?.document ?? store.document(uri),
    };
    return docsUrl === undefined ? context : { ...context, docsUrl };
  };

  /** Run a request handler: errors are logged and answered with `fallback`; cancellation is honoured. */
  function guard<P, R>(name: string, fallback: R, run: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      // The connection cancels a token as soon as it reads the cancellation from the input,
      // and it reads input only between macrotasks: yield so one sent right behind this
      // request is seen before any work (twice: in a browser a 0 ms timer may run before
      // the read that was already due).
      await nextMacrotask();
      await nextMacrotask();
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled");
      let result: R;
      try {
        result = await run(params, token);
      } catch (error) {
        // Deliberate refusals (e.g. an invalid rename) are answered as errors; anything else is a bug, logged.
        if (error instanceof ResponseError) throw error;
        connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
      // Work that ran without yielding (a long check) may have been cancelled meanwhile:
      // read the input once more before answering.
      await nextMacrotask();
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled");
      return result;
    };
  }

  // Test files (JSON) are open for their lenses only: they have no Diffuse analysis.
  const analysisOf = async (uri: string): Promise<Analysis | undefined> => (isTestFile(uri) ? undefined : store.analysis(uri));

  // -------------------------------------------------------------------------
  // Diagnostics

  const publish = async (uri: string): Promise<void> => {
    const document = store.document(uri);
    if (document === undefined || isTestFile(uri)) return;
    const started = Date.now();
    const analysis = await store.analysis(uri);
    if (analysis === undefined) return;
    // Stale: the document moved on or closed while we worked; the newer schedule publishes.
    if (store.document(uri)?.version !== analysis.version) return;
    const context = conversion(analysis);
    const diagnostics = analysis.diagnostics.filter((d) => d.uri === uri).map((d) => toLspDiagnostic(analysis.document, d, context));
    await connection.sendDiagnostics({ uri, version: analysis.version, diagnostics });
    verbose(`diagnostics for ${uri}@${analysis.version}: ${diagnostics.length} in ${Date.now() - started} ms`);
  };

  const schedule = (uri: string, delay: number): void => {
    const previous = timers.get(uri);
    if (previous !== undefined) clearTimeout(previous);
    const timer = setTimeout(() => {
      timers.delete(uri);
      const job = publish(uri)
        .catch((error: unknown) =>
          connection.console.error(`diagnostics for ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
        )
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
    }, delay);
    timers.set(uri, timer);
  };

  const scheduleImporters = (uri: string): void => {
    for (const importer of store.fileChanged(uri)) schedule(importer, settings.diagnostics.debounceMs);
  };

  // -------------------------------------------------------------------------
  // Lifecycle and configuration

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    canPullConfiguration = capabilities.workspace?.configuration === true;
    canRegisterWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
    folders = (params.workspaceFolders ?? []).map(uriOf);
    if (folders.length === 0 && params.rootUri !== null && params.rootUri !== undefined) folders = [normalizeUri(params.rootUri)];
    // Initial settings, for clients that cannot answer workspace/configuration:
    // `{ settings: {...} }`, `{ diffuse: {...} }` or the section itself.
    const initial = record(params.initializationOptions);
    if (Object.keys(initial).length > 0) settings = parseSettings(initial["settings"] ?? initial["diffuse"] ?? initial);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: [" ", "{", ",", "(", "."], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: "Diffuse" },
        foldingRangeProvider: true,
        documentLinkProvider: { resolveProvider: false },
        semanticTokensProvider: { legend: LEGEND, full: true, range: false },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ["quickfix"] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [COMMANDS.runTests, COMMANDS.evaluateExamples] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: "diffuse-language-server", version: "0.1.0" },
    };
  });

  const pullSettings = async (): Promise<void> => {
    if (!canPullConfiguration) return;
    try {
      settings = parseSettings(await connection.workspace.getConfiguration("diffuse"));
      verbose(`settings: ${JSON.stringify(settings)}`);
    } catch (error) {
      log(`could not read the client configuration: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  connection.onInitialized(() => {
    void (async () => {
      const root = folders[0];
      if (root !== undefined) {
        const candidate = `${root.replace(/\/$/, "")}/docs/diagnostics.md`;
        if ((await host.readFile(candidate).catch(() => undefined)) !== undefined) workspaceDocs = candidate;
      }
      if (canPullConfiguration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: "diffuse" }).catch(() => undefined);
      }
      if (canRegisterWatchers) {
        await connection.client
          .register(DidChangeWatchedFilesNotification.type, {
            watchers: [
              { globPattern: "**/*.diffuse" },
              { globPattern: "**/*.test.json" },
              { globPattern: "**/*.json" },
              // Formatting configuration, when this host reads it: a change clears its cache.
              ...(host.formatConfig !== undefined ? FORMAT_CONFIG_GLOBS.map((globPattern) => ({ globPattern })) : []),
            ],
          })
          .catch(() => undefined);
      }
      await pullSettings();
    })();
  });

  connection.onDidChangeConfiguration((change) => {
    void (async () => {
      if (canPullConfiguration) await pullSettings();
      else settings = parseSettings(record(change.settings)["diffuse"]);
      for (const uri of store.uris) schedule(uri, 0);
    })();
  });

  // -------------------------------------------------------------------------
  // Documents

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const uri = uriOf(textDocument);
    store.open(uri, textDocument.languageId, textDocument.version, textDocument.text);
    if (isTestFile(uri)) {
      testFiles = undefined;
      return;
    }
    schedule(uri, 0);
    scheduleImporters(uri);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const uri = uriOf(textDocument);
    store.change(uri, textDocument.version, contentChanges);
    if (isTestFile(uri)) {
      testFiles = undefined; // its `policy` may now name another file
      return;
    }
    schedule(uri, settings.diagnostics.debounceMs);
    scheduleImporters(uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    const uri = uriOf(textDocument);
    const timer = timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(uri);
    store.close(uri);
    if (!isTestFile(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    // Importers now read the file from disk again.
    scheduleImporters(uri);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    let lenses = false;
    if (host.formatConfig !== undefined && changes.some((change) => isFormatConfigFile(change.uri))) {
      void host.formatConfig.invalidate().catch((error: unknown) => log(`could not clear the formatting configuration cache: ${describeError(error)}`));
    }
    for (const change of changes) {
      const uri = uriOf(change);
      if (isTestFile(uri) || change.type !== FileChangeType.Changed) {
        testFiles = undefined;
        lenses = true;
      }
      if (change.type !== FileChangeType.Changed) diffuseFiles = undefined;
      if (store.document(uri) !== undefined) continue; // the editor's text wins while open
      scheduleImporters(uri);
    }
    if (lenses && canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });

  // -------------------------------------------------------------------------
  // Features

  const at = async (uri: string, position: { line: number; character: number }): Promise<{ analysis: Analysis; offset: number } | undefined> => {
    const analysis = await analysisOf(uri);
    if (analysis === undefined) return undefined;
    return { analysis, offset: analysis.document.offsetAt(position) };
  };

  connection.onDocumentSymbol(
    guard("documentSymbol", [], async ({ textDocument }) => {
      const analysis = await analysisOf(uriOf(textDocument));
      return analysis === undefined ? [] : documentSymbols(analysis);
    }),
  );

  connection.onFoldingRanges(
    guard("foldingRange", [], async ({ textDocument }) => {
      const analysis = await analysisOf(uriOf(textDocument));
      return analysis === undefined ? [] : foldingRanges(analysis);
    }),
  );

  connection.onDocumentLinks(
    guard("documentLink", [], async ({ textDocument }) => {
      const analysis = await analysisOf(uriOf(textDocument));
      return analysis === undefined ? [] : documentLinks(analysis);
    }),
  );

  connection.languages.semanticTokens.on(
    guard("semanticTokens", { data: [] }, async ({ textDocument }) => {
      const analysis = await analysisOf(uriOf(textDocument));
      return analysis === undefined ? { data: [] } : semanticTokens(analysis);
    }),
  );

  connection.onCompletion(
    guard("completion", { isIncomplete: false, items: [] }, async ({ textDocument, position }) => {
      const found = await at(uriOf(textDocument), position);
      return found === undefined ? { isIncomplete: false, items: [] } : completion(found.analysis, found.offset);
    }),
  );

  connection.onHover(
    guard("hover", null, async ({ textDocument, position }) => {
      const found = await at(uriOf(textDocument), position);
      return found === undefined ? null : hover(found.analysis, found.offset);
    }),
  );

  connection.onDefinition(
    guard("definition", [], async ({ textDocument, position }) => {
      const found = await at(uriOf(textDocument), position);
      return found === undefined ? [] : definition(found.analysis, found.offset);
    }),
  );

  /**
   * Analyses that may mention the declaration under the cursor besides the current one:
   * other open documents, and closed workspace files that import the declaring file
   * (found by a text search for the name, then analysed).
   */
  const otherAnalyses = async (analysis: Analysis, offset: number): Promise<Analysis[]> => {
    const open = store.lastAnalyses();
    const target = declarationAt(analysis, offset);
    if (target === undefined) return open;
    const seen = new Set(open.map((a) => a.uri));
    seen.add(analysis.uri);
    const closed: Analysis[] = [];
    diffuseFiles ??= findFiles(".diffuse");
    for (const uri of await diffuseFiles) {
      if (seen.has(uri) || closed.length >= 50) continue;
      const text = await store.read(uri);
      if (text === undefined || !text.includes(target.name) || !text.includes("import")) continue;
      const other = await analyze(documentFor(uri, text), store.read).catch(() => undefined);
      if (other?.dependencies.has(target.uri) === true) closed.push(other);
    }
    return [...open, ...closed];
  };

  connection.onReferences(
    guard("references", [], async ({ textDocument, position, context }) => {
      const found = await at(uriOf(textDocument), position);
      if (found === undefined) return [];
      return references(found.analysis, found.offset, context.includeDeclaration, await otherAnalyses(found.analysis, found.offset));
    }),
  );

  connection.onDocumentHighlight(
    guard("documentHighlight", [], async ({ textDocument, position }) => {
      const found = await at(uriOf(textDocument), position);
      return found === undefined ? [] : documentHighlights(found.analysis, found.offset);
    }),
  );

  connection.onPrepareRename(
    guard("prepareRename", null, async ({ textDocument, position }) => {
      const found = await at(uriOf(textDocument), position);
      if (found === undefined) return null;
      const result = prepareRename(found.analysis, found.offset);
      if ("message" in result) throw new ResponseError(LSPErrorCodes.RequestFailed, result.message);
      return result;
    }),
  );

  connection.onRenameRequest(
    guard("rename", null, async ({ textDocument, position, newName }) => {
      const found = await at(uriOf(textDocument), position);
      if (found === undefined) return null;
      const result = rename(found.analysis, found.offset, newName, KEYWORD_SET, await otherAnalyses(found.analysis, found.offset));
      if (!result.ok) throw new ResponseError(LSPErrorCodes.RequestFailed, result.message);
      return result.edit;
    }),
  );

  /**
   * Formats an open document with its configuration files' options when it has any, else
   * the client's (see `formatOptions`). When nothing comes of it for a reason the user can
   * act on (syntax errors, an unreadable configuration file), one warning says so; a
   * formatter failure is logged.
   */
  const formatWith = async (
    uri: string,
    request: FormattingOptions,
    run: (document: TextDocument, options: FormatOptions) => Promise<FormatResult>,
  ): Promise<TextEdit[]> => {
    const document = store.document(uri);
    if (document === undefined) return [];
    let configured: ConfiguredFormatOptions | undefined;
    if (host.formatConfig !== undefined) {
      try {
        // Without file watching a cached configuration could be stale: read it afresh.
        if (!canRegisterWatchers) await host.formatConfig.invalidate();
        configured = await host.formatConfig.resolve(uri);
      } catch (error) {
        log(`formatting configuration for ${uri}: ${describeError(error)}`);
        warn(`Not formatted: the formatting configuration cannot be read: ${summary(error)}`);
        return [];
      }
    }
    const result = await run(document, formatOptions(request, settings.format.printWidth, uri, configured));
    const message = notFormattedMessage(result);
    if (message !== undefined) warn(message);
    if (result.kind === "failed") connection.console.error(`formatting ${uri} failed: ${describeError(result.error)}`);
    return editsOf(result);
  };

  connection.onDocumentFormatting(guard("formatting", [], ({ textDocument, options }) => formatWith(uriOf(textDocument), options, formatDocument)));

  connection.onDocumentRangeFormatting(
    guard("rangeFormatting", [], ({ textDocument, range, options }) =>
      formatWith(uriOf(textDocument), options, (document, formatting) => formatRange(document, range, formatting)),
    ),
  );

  connection.onCodeAction(
    guard("codeAction", [], async ({ textDocument, range, context }) => {
      const analysis = await analysisOf(uriOf(textDocument));
      if (analysis === undefined) return [];
      return codeActions(analysis, range, context.diagnostics, conversion(analysis), context.only);
    }),
  );

  const allTestFiles = (): Promise<{ uri: string; text: string }[]> => {
    testFiles ??= (async () => {
      const uris = new Set(await findFiles(".test.json"));
      for (const uri of store.uris) if (isTestFile(uri)) uris.add(uri);
      const out: { uri: string; text: string }[] = [];
      for (const uri of uris) {
        const text = await store.read(uri);
        if (text !== undefined) out.push({ uri, text });
      }
      return out;
    })();
    return testFiles;
  };

  connection.onCodeLens(
    guard("codeLens", [], async ({ textDocument }) => {
      const uri = uriOf(textDocument);
      if (isTestFile(uri)) return testFileCodeLenses(uri);
      const analysis = await analysisOf(uri);
      if (analysis === undefined) return [];
      const tests = testsReferencing(uri, await allTestFiles());
      return policyCodeLenses(analysis, tests);
    }),
  );

  const commandEnv: CommandEnv = {
    readFile: (uri) => store.read(uri),
    check: async (uri, overrides = new Map<string, string>()) => {
      let analysis: Analysis | undefined;
      if (overrides.size === 0 && store.document(uri) !== undefined) analysis = await store.analysis(uri);
      else {
        const read = (target: string): Promise<string | undefined> => {
          const replaced = overrides.get(target);
          return replaced !== undefined ? Promise.resolve(replaced) : store.read(target);
        };
        const text = await read(uri);
        if (text !== undefined) analysis = await analyze(documentFor(uri, text), read);
      }
      if (analysis === undefined) return { model: undefined, policySet: undefined, errors: [`cannot read \`${displayUri(uri)}\``] };
      const errors = analysis.allDiagnostics.filter((d) => d.severity === "error").map((d) => d.message);
      return { model: analysis.model, policySet: analysis.policySet, errors };
    },
  };

  connection.onExecuteCommand(
    guard("executeCommand", null, async ({ command, arguments: args }) => {
      const strings = (args ?? []).filter((a): a is string => typeof a === "string").map(normalizeUri);
      switch (command) {
        case COMMANDS.runTests: {
          const summary = await runTests(commandEnv, strings);
          void connection.window.showInformationMessage(`diffuse tests: ${summary.message}`);
          return summary;
        }
        case COMMANDS.evaluateExamples: {
          const policy = strings[0];
          if (policy === undefined) return null;
          const root = folders[0];
          const orders =
            strings[1] ??
            (root !== undefined ? resolveImport(`${root.replace(/\/$/, "")}/`, settings.examples.orders) : resolveImport(policy, "examples/orders.json"));
          const summary = await evaluateExamples(commandEnv, policy, orders);
          void connection.window.showInformationMessage(`diffuse: ${summary.message}`);
          return summary;
        }
        default:
          log(`unknown command \`${command}\``);
          return null;
      }
    }),
  );

  return {
    store,
    idle: async () => {
      while (timers.size > 0 || inFlight.size > 0) {
        await Promise.all([...inFlight]);
        if (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** An error for the log: its stack when it has one. */
function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * An error for the user, on one line: its message up to the first blank line (Prettier's
 * configuration errors put a code frame after it), without a trailing colon.
 */
function summary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split(/\n\s*\n/)[0] ?? "")
    .replace(/\s*\n\s*/g, " ")
    .replace(/:\s*$/, "")
    .trim();
}
