import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/main.js";

describe("command specs", () => {
  it.each(COMMANDS.map((c) => [c.help.name, c.help] as const))(
    "`%s`: every option appears in the synopsis (the usage line of --help and of usage errors)",
    (_name, help) => {
      for (const option of Object.keys(help.options)) expect(help.synopsis, option).toContain(`--${option}`);
    },
  );
});
