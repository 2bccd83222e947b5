/**
 * Compares a migrated database with prisma/schema/*.prisma: tables, columns, types,
 * nullability, enums, primary keys, unique constraints and indexes. Prisma's own
 * `migrate diff` needs the native schema engine, which these machines cannot run;
 * this reads the schema through Prisma's DMMF (WASM) and the database's catalogs.
 *
 *   DATABASE_URL=… tsx scripts/schema-drift.ts     # prints differences, exits 1 on drift
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getDMMF } from "@prisma/get-dmmf";
import pg from "pg";

const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../prisma/schema");

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => "text",
  VarChar: (a) => (a[0] ? `character varying(${a[0]})` : "character varying"),
  Char: (a) => `character(${a[0] ?? 1})`,
  Uuid: () => "uuid",
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  Timestamp: (a) => `timestamp(${a[0] ?? 3}) without time zone`,
  Timestamptz: (a) => `timestamp(${a[0] ?? 3}) with time zone`,
  Date: () => "date",
  JsonB: () => "jsonb",
  Json: () => "json",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Boolean: () => "boolean",
  Decimal: (a) => `numeric(${a.join(",") || "65,30"})`,
};

type Column = { type: string; nullable: boolean };
type Index = { table: string; columns: string[]; unique: boolean; method: string };
export type Shape = {
  tables: Map<string, Map<string, Column>>;
  enums: Map<string, string[]>;
  indexes: Index[];
};

async function readSchemaFiles(dir: string): Promise<Array<[string, string]>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".prisma")).sort();
  return Promise.all(names.map(async (n) => [path.join(dir, n), await readFile(path.join(dir, n), "utf8")] as [string, string]));
}

/** Fields of type Unsupported("…") are absent from the DMMF; read them from the text. */
function unsupportedFields(files: Array<[string, string]>): Array<{ model: string; field: string; type: string; nullable: boolean }> {
  const found: Array<{ model: string; field: string; type: string; nullable: boolean }> = [];
  for (const [, text] of files) {
    for (const block of text.matchAll(/model\s+(\w+)\s*\{([\s\S]*?)\n\}/g)) {
      for (const line of block[2].matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?/gm)) {
        found.push({ model: block[1], field: line[1], type: line[2], nullable: line[3] === "?" });
      }
    }
  }
  return found;
}

export async function schemaShape(dir = SCHEMA_DIR): Promise<Shape> {
  const files = await readSchemaFiles(dir);
  const result = getDMMF({ datamodel: files });
  if ("error" in result) throw new Error(`prisma/schema does not parse: ${result.reason}`);
  const dmmf = result;
  const tables = new Map<string, Map<string, Column>>();
  const dbNames = new Map<string, string>();
  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    dbNames.set(model.name, table);
    const columns = new Map<string, Column>();
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      let type: string;
      if (field.kind === "enum") type = `enum:${field.type}`;
      else if (field.nativeType) type = NATIVE_TYPES[field.nativeType[0]]?.(field.nativeType[1] as string[]) ?? field.nativeType[0];
      else type = SCALAR_TYPES[field.type] ?? field.type;
      if (field.isList) type = `${type}[]`;
      columns.set(field.dbName ?? field.name, { type, nullable: !field.isRequired && !field.isList });
    }
    tables.set(table, columns);
  }
  for (const field of unsupportedFields(files)) {
    tables.get(dbNames.get(field.model) ?? field.model)?.set(field.field, { type: field.type, nullable: field.nullable });
  }
  const enums = new Map(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  const indexes: Index[] = dmmf.datamodel.indexes.map((index) => {
    const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
    const columnOf = (name: string) => model.fields.find((f) => f.name === name)?.dbName ?? name;
    return {
      table: dbNames.get(index.model) ?? index.model,
      columns: index.fields.map((f) => columnOf(f.name)),
      unique: index.type === "unique" || index.type === "id",
      method: ((index as { algorithm?: string }).algorithm ?? "BTree").toLowerCase(),
    };
  });
  return { tables, enums, indexes };
}

export async function databaseShape(connectionString: string): Promise<Shape> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string; type: string; nullable: boolean; is_enum: boolean; udt: string }>(`
      SELECT c.relname::text AS table_name, a.attname::text AS column_name,
             format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
             t.typtype = 'e' AS is_enum, t.typname AS udt
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`);
    const tables = new Map<string, Map<string, Column>>();
    for (const row of columns.rows) {
      if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
      tables.get(row.table_name)!.set(row.column_name, { type: row.is_enum ? `enum:${row.udt}` : row.type, nullable: row.nullable });
    }
    const enumRows = await client.query<{ name: string; value: string }>(`
      SELECT t.typname AS name, e.enumlabel AS value FROM pg_enum e
      JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`);
    const enums = new Map<string, string[]>();
    for (const row of enumRows.rows) enums.set(row.name, [...(enums.get(row.name) ?? []), row.value]);
    const indexRows = await client.query<{ table_name: string; columns: string[]; unique: boolean; method: string }>(`
      SELECT t.relname::text AS table_name, ix.indisunique AS unique, am.amname AS method,
             array_agg(a.attname::text ORDER BY k.ord) AS columns
      FROM pg_index ix
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_class i ON i.oid = ix.indexrelid
      JOIN pg_am am ON am.oid = i.relam
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, i.relname, ix.indisunique, am.amname`);
    return {
      tables,
      enums,
      indexes: indexRows.rows.map((r) => ({ table: r.table_name, columns: r.columns, unique: r.unique, method: r.method })),
    };
  } finally {
    await client.end();
  }
}

const indexKey = (i: Index) => `${i.table}(${i.columns.join(", ")})${i.unique ? " unique" : ""} ${i.method}`;

/** Every difference between what the schema says and what the database has. */
export function compareShapes(schema: Shape, database: Shape): string[] {
  const problems: string[] = [];
  for (const [table, columns] of schema.tables) {
    const actual = database.tables.get(table);
    if (!actual) {
      problems.push(`table ${table} is missing from the database`);
      continue;
    }
    for (const [name, column] of columns) {
      const got = actual.get(name);
      if (!got) problems.push(`column ${table}.${name} is missing from the database`);
      else {
        if (got.type !== column.type) problems.push(`column ${table}.${name} is ${got.type} in the database, ${column.type} in the schema`);
        if (got.nullable !== column.nullable) {
          problems.push(`column ${table}.${name} is ${got.nullable ? "nullable" : "NOT NULL"} in the database, ${column.nullable ? "optional" : "required"} in the schema`);
        }
      }
    }
    for (const name of actual.keys()) {
      if (!columns.has(name)) problems.push(`column ${table}.${name} is in the database but not in the schema`);
    }
  }
  for (const table of database.tables.keys()) {
    if (!schema.tables.has(table)) problems.push(`table ${table} is in the database but not in the schema`);
  }
  for (const [name, values] of schema.enums) {
    const got = database.enums.get(name);
    if (!got) problems.push(`enum ${name} is missing from the database`);
    else if (got.join(",") !== values.join(",")) problems.push(`enum ${name} has (${got.join(", ")}) in the database, (${values.join(", ")}) in the schema`);
  }
  for (const name of database.enums.keys()) {
    if (!schema.enums.has(name)) problems.push(`enum ${name} is in the database but not in the schema`);
  }
  const wanted = new Set(schema.indexes.filter((i) => database.tables.has(i.table)).map(indexKey));
  const present = new Set(database.indexes.map(indexKey));
  for (const key of wanted) if (!present.has(key)) problems.push(`index ${key} is missing from the database`);
  for (const key of present) if (!wanted.has(key)) problems.push(`index ${key} is in the database but not in the schema`);
  return problems;
}

export async function schemaDrift(connectionString: string, schemaDir = SCHEMA_DIR): Promise<string[]> {
  const [schema, database] = await Promise.all([schemaShape(schemaDir), databaseShape(connectionString)]);
  return compareShapes(schema, database);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  schemaDrift(process.env.DATABASE_URL ?? "").then((problems) => {
    if (!problems.length) {
      console.log("The database matches prisma/schema.");
      return;
    }
    console.error(`The database differs from prisma/schema:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  });
}
