"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATIONS = void 0;
const _1764000000000_initial_schema_1 = require("./1764000000000-initial-schema");
/** Every migration, oldest first; listed here so no glob depends on the build layout. */
exports.MIGRATIONS = [_1764000000000_initial_schema_1.InitialSchema1764000000000];
//# sourceMappingURL=index.js.map