// The driver catalogue's shape, checked at load time: the bundled file and the user's own
// entries (config) go through the same schema, so a typo fails loudly instead of silently
// hiding a driver. native-drivers/catalogue.schema.json is generated from this (see test).
import { z } from 'zod';

export const PLATFORMS = ['linux', 'darwin', 'win32'] as const;
export type CataloguePlatform = (typeof PLATFORMS)[number];

const hex4 = z.string().regex(/^[0-9a-fA-F]{4}$/, 'four hex digits, e.g. 096e');

export const UsbIdSchema = z.strictObject({
  vid: hex4,
  pid: hex4,
  product: z.string().optional(),
});

/** Module files for one OS: absolute paths are used as they are, bare names joined to each dir. */
export const OsModulesSchema = z.strictObject({
  files: z.array(z.string().min(1)),
  dirs: z.array(z.string().min(1)),
});

export const InstallHintSchema = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });

export const CatalogueEntrySchema = z.strictObject({
  /** Stable id; a user entry with the same id replaces the bundled one. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** token: hardware family with its vendor middleware; brand: a CA's rebranded middleware; software: OpenSC, SoftHSM. */
  kind: z.enum(['token', 'brand', 'software']),
  name: z.string().min(1),
  vendor: z.string().min(1),
  products: z.array(z.string()),
  usb: z.array(UsbIdSchema),
  /**
   * For brands: ids of the token families the CA ships (its tokens show their USB ids). For
   * software (generic middleware such as OpenSC): the token families it drives.
   */
  tokenFamilies: z.array(z.string()).optional(),
  modules: z.strictObject({ linux: OsModulesSchema, darwin: OsModulesSchema, win32: OsModulesSchema }),
  /** CA brands known (or believed, see confirmed) to ship it. */
  cas: z.array(z.string()),
  installHint: InstallHintSchema,
  downloadUrl: z.url().optional(),
  /** false: collected from third-party lists, not verified on a device. */
  confirmed: z.boolean(),
  notes: z.string().optional(),
});

const NO_MODULES = { files: [], dirs: [] };

/**
 * What a user writes in the config: only id, name and modules are needed; the rest gets
 * neutral defaults (unconfirmed, no USB ids, a generic hint) and the same checks.
 */
export const UserCatalogueEntrySchema = CatalogueEntrySchema.extend({
  kind: CatalogueEntrySchema.shape.kind.default('token'),
  vendor: z.string().min(1).default('(user entry)'),
  products: z.array(z.string()).default([]),
  usb: z.array(UsbIdSchema).default([]),
  modules: z.strictObject({
    linux: OsModulesSchema.extend({ dirs: z.array(z.string().min(1)).default([]) }).default(NO_MODULES),
    darwin: OsModulesSchema.extend({ dirs: z.array(z.string().min(1)).default([]) }).default(NO_MODULES),
    win32: OsModulesSchema.extend({ dirs: z.array(z.string().min(1)).default([]) }).default(NO_MODULES),
  }),
  cas: z.array(z.string()).default([]),
  installHint: InstallHintSchema.default({
    vi: 'Cài driver (PKCS#11) của thiết bị theo hướng dẫn của nhà cung cấp.',
    en: 'Install the device\'s PKCS#11 driver as its vendor describes.',
  }),
  confirmed: z.boolean().default(false),
});

export const CatalogueSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  notes: z.string().optional(),
  entries: z.array(CatalogueEntrySchema).min(1),
});

export type UsbId = z.infer<typeof UsbIdSchema>;
export type OsModules = z.infer<typeof OsModulesSchema>;
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** JSON Schema of the file, for editors ($schema in catalogue.json); kept in sync by a test. */
export function catalogueJsonSchema(): unknown {
  return z.toJSONSchema(CatalogueSchema);
}
