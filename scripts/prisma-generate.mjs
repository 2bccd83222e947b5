// Runs `prisma generate` without the network. Prisma's CLI looks for its native schema
// engine at start even though generate never runs it; pointing it at any existing file
// keeps it from trying to download one (see ../shared/notes/toolchain.md).
import { execFileSync } from "node:child_process";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";
execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
