"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const typeorm_1 = require("typeorm");
const app_config_1 = require("./src/config/app-config");
const data_source_options_1 = require("./src/database/data-source-options");
/** The data source the TypeORM CLI uses (`npm run migration:run|revert|generate`). */
exports.default = new typeorm_1.DataSource((0, data_source_options_1.buildDataSourceOptions)((0, app_config_1.loadDatabaseConfig)()));
//# sourceMappingURL=ormconfig.js.map