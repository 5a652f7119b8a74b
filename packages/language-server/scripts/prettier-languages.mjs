// An esbuild plugin for bundles of the Node server: leaves out Prettier's built-in
// languages (JavaScript, CSS, Markdown...: about 4.5 MB) but YAML. The server formats
// with Prettier's standalone build and the Diffuse plugin only; it loads Prettier's Node
// build for `resolveConfig` (.prettierrc, .editorconfig), which uses the YAML language to
// read `.prettierrc` and no other, but Prettier's index names each language in a dynamic
// import that esbuild would otherwise follow. Should an omitted one ever be loaded, it
// fails with a message saying why (extension/test/package.test.ts formats through the
// bundled server with a .prettierrc).
const NEEDED = new Set(["./plugins/yaml.mjs"]);

export const omitPrettierLanguages = {
  name: "omit-prettier-languages",
  setup(build) {
    build.onResolve({ filter: /^\.\/plugins\/[\w-]+\.mjs$/ }, (args) =>
      !NEEDED.has(args.path) && /[\\/]prettier[\\/]index\.mjs$/.test(args.importer) ? { path: args.path, namespace: "omitted-prettier-language" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "omitted-prettier-language" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`Prettier's built-in language ${args.path} is not bundled with the Diffuse language server`)});`,
      loader: "js",
    }));
  },
};
