"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnreadableBody = exports.MAX_JSON_DEPTH = exports.MAX_BODY_BYTES = void 0;
exports.jsonShapeProblem = jsonShapeProblem;
exports.parseBody = parseBody;
exports.contentTypeHook = contentTypeHook;
exports.registerBodyParser = registerBodyParser;
const node_util_1 = require("node:util");
const ascii_1 = require("../ascii");
const domain_error_1 = require("../problem/domain-error");
const request_context_1 = require("./request-context");
exports.MAX_BODY_BYTES = 64 * 1024;
/**
 * Content types read as JSON. PowerShell's `Invoke-RestMethod -Body <string>` without
 * `-ContentType` sends `application/x-www-form-urlencoded`; curl's `--data` does the same.
 */
function kindOf(contentType) {
    if (contentType === undefined || contentType.trim() === '')
        return 'lenient';
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    if (mediaType === 'application/json' ||
        mediaType === 'text/json' ||
        /^application\/[\w.+-]+\+json$/.test(mediaType))
        return 'json';
    if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'text/plain')
        return 'lenient';
    return 'unsupported';
}
function malformed(message) {
    return domain_error_1.DomainError.validation({ $: [message] });
}
/** How deep JSON may nest: the DTOs need three levels; deeper input is refused, not recursed. */
exports.MAX_JSON_DEPTH = 32;
const NUL = '\u0000';
/**
 * Walks JSON text that JSON.parse accepted and answers what is wrong with it, if anything:
 * nesting deeper than MAX_JSON_DEPTH, an object naming one member twice (names compared as
 * request bodies are read: case-insensitively), a NUL character in any string.
 */
function jsonShapeProblem(text) {
    const objects = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            let end = i + 1;
            let escaped = false;
            while (text[end] !== '"')
                end += text[end] === '\\' ? ((escaped = true), 2) : 1;
            const raw = text.slice(i + 1, end);
            const value = escaped ? JSON.parse(`"${raw}"`) : raw;
            if (value.includes(NUL))
                return 'A string contains a NUL character.';
            const members = objects.at(-1);
            if (expectKey && members) {
                const name = (0, ascii_1.asciiLower)(value);
                if (members.has(name))
                    return `The member '${value.slice(0, 64)}' is given twice.`;
                members.add(name);
                expectKey = false;
            }
            i = end;
        }
        else if (c === '{' || c === '[') {
            if (objects.length >= exports.MAX_JSON_DEPTH) {
                return `The JSON value is nested deeper than ${exports.MAX_JSON_DEPTH} levels.`;
            }
            objects.push(c === '{' ? new Set() : null);
            expectKey = c === '{';
        }
        else if (c === '}' || c === ']') {
            objects.pop();
        }
        else if (c === ',') {
            expectKey = objects.at(-1) instanceof Set;
        }
    }
    return undefined;
}
/** A form body's fields; a field named twice (case-insensitively) or a NUL is refused. */
function parseForm(text) {
    const fields = {};
    const seen = new Set();
    for (const [name, value] of new URLSearchParams(text)) {
        if (name.includes(NUL) || value.includes(NUL))
            throw malformed('A field contains a NUL character.');
        const folded = (0, ascii_1.asciiLower)(name);
        if (seen.has(folded))
            throw malformed(`The field '${name.slice(0, 64)}' is given twice.`);
        seen.add(folded);
        fields[name] = value;
    }
    return fields;
}
/** Parses the bytes of a body; what cannot be JSON under a lenient type stays a string. */
function parseBody(text, contentType) {
    const kind = kindOf(contentType);
    if (kind === 'unsupported')
        throw new domain_error_1.DomainError(domain_error_1.ErrorCode.UnsupportedMediaType);
    if (text.trim() === '')
        return undefined;
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        if (kind === 'json')
            throw malformed('The JSON value could not be parsed.');
        // A real HTML form (`Login=a&Password=b`), as PowerShell sends a hashtable -Body.
        if (text.includes('=') && /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(text.trim())) {
            return parseForm(text.trim());
        }
        if (text.includes(NUL))
            throw malformed('The body contains a NUL character.');
        return text;
    }
    const problem = jsonShapeProblem(text);
    if (problem !== undefined)
        throw malformed(problem);
    // A bare number is taken as a number only when written as plain digits: " 123456",
    // "123456\n" or "1.23456e5" stay text, so a padded code never passes for the canonical one.
    if (typeof value === 'number' && !/^[0-9]+$/.test(text))
        return text;
    return value;
}
/**
 * A body that could not be read (not JSON, not UTF-8, a media type other than JSON). Kept as the
 * request's body and refused only where a handler takes its body, after the guards: as ASP.NET
 * Core does, a missing or bad token is a 401 and a missing permission a 403 whatever the body.
 */
class UnreadableBody {
    error;
    constructor(error) {
        this.error = error;
    }
}
exports.UnreadableBody = UnreadableBody;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^\\s*${TOKEN}/${TOKEN}\\s*(;.*)?$`);
/** What a Content-Type that is no media type becomes: a type the parser refuses, but later. */
const UNREADABLE_TYPE = 'application/x-unreadable';
/**
 * Fastify refuses a Content-Type that is no media type (`json`, a blank one) with a 415 before
 * any guard. Blank is taken as absent, anything else as a type this service does not read, so
 * that refusal too comes after the token and permission checks, and only where a body is read.
 */
function contentTypeHook(req, _reply, done) {
    const contentType = req.headers['content-type'];
    if (contentType !== undefined) {
        if (contentType.trim() === '')
            delete req.headers['content-type'];
        else if (!MEDIA_TYPE.test(contentType))
            req.headers['content-type'] = UNREADABLE_TYPE;
    }
    done();
}
/**
 * The one body parser, for every content type and route: at most 64 KiB (413 past that, on the
 * declared length first and on the bytes as they arrive, before anything else is decided, so an
 * oversized body is never read), decoded as UTF-8, parsed as above.
 */
function registerBodyParser(app) {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: exports.MAX_BODY_BYTES }, (req, body, done) => {
        done(null, body.length === 0 ? undefined : readBody(body, (0, request_context_1.headerOf)(req, 'content-type')));
    });
}
function readBody(body, contentType) {
    try {
        return parseBody(decode(body, contentType), contentType);
    }
    catch (error) {
        if (error instanceof domain_error_1.DomainError)
            return new UnreadableBody(error);
        throw error;
    }
}
/**
 * The body's text: in its declared charset, else UTF-8. Without a charset, a form or text body
 * that is not UTF-8 is read as ISO-8859-1, the encoding Windows PowerShell 5.1 (and PowerShell
 * before 7.4) sends a string `-Body` in (so a password with an umlaut still signs in); JSON is
 * UTF-8 (RFC 8259 section 8.1).
 */
function decode(body, contentType) {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
    let decoder;
    try {
        decoder = new node_util_1.TextDecoder(charset ?? 'utf-8', { fatal: true });
    }
    catch {
        throw new domain_error_1.DomainError(domain_error_1.ErrorCode.UnsupportedMediaType, `The charset '${charset?.slice(0, 40)}' is not supported.`);
    }
    try {
        return decoder.decode(body);
    }
    catch {
        if (charset === undefined && kindOf(contentType) === 'lenient')
            return new node_util_1.TextDecoder('latin1').decode(body);
        throw malformed(`The request body is not valid ${decoder.encoding}.`);
    }
}
//# sourceMappingURL=body-reader.js.map