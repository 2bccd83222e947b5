/**
 * Runs before each test file: gives it a fresh database, copied from the migrated
 * template, and points DATABASE_URL at it before any app module is imported.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

const name = `test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "coterie_template"`);
await admin.end();

process.env.DATABASE_URL = `${inject("postgresUrlPrefix")}${name}`;
process.env.COTERIE_WORKER = "0";
