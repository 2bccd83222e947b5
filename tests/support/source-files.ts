import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The TypeScript sources of app/ (not the generated Prisma client), for checks over the code itself. */
export function appSources(): Array<{ file: string; text: string }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (name === "generated") return [];
      if (statSync(full).isDirectory()) return walk(full);
      return /\.tsx?$/.test(name) ? [full] : [];
    });
  return walk(path.resolve(import.meta.dirname, "../../app")).map((file) => ({ file, text: readFileSync(file, "utf8") }));
}
