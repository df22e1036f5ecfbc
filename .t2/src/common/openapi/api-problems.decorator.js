"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ApiProblems = ApiProblems;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const problem_details_schema_1 = require("./problem-details.schema");
const DESCRIPTIONS = {
    400: 'Bad Request: validation failed, or step-up (totp-required / totp-invalid)',
    401: 'Unauthorized: no valid access token',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    429: 'Too Many Requests',
};
/** Declares error answers as application/problem+json with the shared schemas. */
function ApiProblems(...statuses) {
    return (0, common_1.applyDecorators)((0, swagger_1.ApiExtraModels)(problem_details_schema_1.ProblemDetails, problem_details_schema_1.ValidationProblemDetails), ...statuses.map((status) => (0, swagger_1.ApiResponse)({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: {
            'application/problem+json': {
                schema: {
                    $ref: (0, swagger_1.getSchemaPath)(status === 400 ? problem_details_schema_1.ValidationProblemDetails : problem_details_schema_1.ProblemDetails),
                },
            },
        },
    })));
}
//# sourceMappingURL=api-problems.decorator.js.map