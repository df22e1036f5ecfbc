// Generates ./generated from the document a running service serves (MFA_ADMIN_URL).
const base = process.env.MFA_ADMIN_URL ?? 'http://127.0.0.1:3000';

export default {
  input: `${base}/swagger/v1/swagger.json`,
  output: { path: 'generated', importFileExtension: '.js' },
  // Errors (problem+json) are thrown, so a call's data is never undefined.
  plugins: [{ name: '@hey-api/client-fetch', throwOnError: true }],
};
