"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DatabaseModule = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("@nestjs/typeorm");
const typeorm_2 = require("typeorm");
const app_config_1 = require("../config/app-config");
const data_source_options_1 = require("./data-source-options");
const migrate_1 = require("./migrate");
const sql_1 = require("./sql");
const write_queue_1 = require("./write-queue");
/**
 * The data source: pending migrations applied on start (one instance at a time on PostgreSQL),
 * never `synchronize`.
 */
let DatabaseModule = class DatabaseModule {
    dataSource;
    config;
    constructor(dataSource, config) {
        this.dataSource = dataSource;
        this.config = config;
    }
    async onModuleInit() {
        if (this.config.database.kind === 'sqlite') {
            // WAL and busy_timeout are set by the driver options; NORMAL is durable enough under WAL.
            await this.dataSource.query('PRAGMA synchronous = NORMAL');
        }
    }
};
exports.DatabaseModule = DatabaseModule;
exports.DatabaseModule = DatabaseModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({
        imports: [
            typeorm_1.TypeOrmModule.forRootAsync({
                inject: [app_config_1.APP_CONFIG],
                useFactory: (config) => ({
                    ...(0, data_source_options_1.buildDataSourceOptions)(config.database),
                    retryAttempts: 0,
                }),
                // The data source is handed to the app only once the schema is migrated.
                dataSourceFactory: async (options) => {
                    if (options === undefined)
                        throw new Error('no data source options');
                    const dataSource = await new typeorm_2.DataSource(options).initialize();
                    try {
                        await (0, migrate_1.runPendingMigrations)(dataSource);
                    }
                    catch (error) {
                        await dataSource.destroy().catch(() => { });
                        throw error;
                    }
                    return dataSource;
                },
            }),
        ],
        providers: [write_queue_1.WriteQueue, sql_1.Sql],
        exports: [write_queue_1.WriteQueue, sql_1.Sql],
    }),
    __param(1, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [typeorm_2.DataSource, Object])
], DatabaseModule);
//# sourceMappingURL=database.module.js.map