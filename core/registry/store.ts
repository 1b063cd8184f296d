import { UserError } from "../errors.js";
import { parseAt } from "../parse.js";
import { type Lineage, ModelName, type ModelVersion } from "./schema.js";

/** One contract, two stores (`local`, `github`); test/registry/contract.test.ts runs against both. */
export interface RegistryStore {
  /** Copies the folder in as the model's next version; concurrent writers get distinct numbers. */
  register(name: string, modelDir: string, lineage: Lineage): Promise<ModelVersion>;
  /** Every version of `name` (or of every model), by name then version. */
  list(name?: string): Promise<ModelVersion[]>;
  /** `ref`: a version number, `v3`, or an alias. */
  get(name: string, ref: string): Promise<ModelVersion>;
  aliases(name: string): Promise<Record<string, number>>;
  setAlias(name: string, alias: string, version: number, meta?: AliasMeta): Promise<void>;
  /** Points the alias back at its previous target and returns that version. */
  rollback(name: string, alias: string, meta?: AliasMeta): Promise<number>;
  /** Writes the version's files into `destDir`, each checked against its recorded sha256; returns the folder. */
  download(name: string, ref: string, destDir: string): Promise<string>;
}

export interface AliasMeta {
  by?: string;
  reason?: string;
}

export function checkModelName(name: string): string {
  return parseAt(ModelName, name, { what: `'${name}' is not a model name`, field: "name" });
}

export function noSuchModel(name: string, known: string[]): UserError {
  return new UserError(
    `no model '${name}' in the registry; models: ${known.length > 0 ? known.join(", ") : "(none yet; see 'modelgate registry register')"}`,
    { field: "name" },
  );
}
