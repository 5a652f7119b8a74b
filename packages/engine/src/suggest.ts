/** The "did you mean" advice of the engine's messages, on the language's edit-distance suggestions. */
import { closest } from "@diffuse/language";

/** `did you mean \`x\`? ` (with its trailing space, to go before the list of what is allowed) for a misspelt name, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = closest(word, candidates);
  return s === undefined ? "" : `did you mean \`${s}\`? `;
}
