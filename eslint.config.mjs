import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** An import a folder must not make: a pattern over the import's path, and why. */
const forbid = (folder, message) => ({ regex: `(^|/)${folder}(/|$)`, message })
const nodeBuiltins = { regex: '^(node:|(fs|path|os|crypto|child_process|net|http|https|url|util|stream|events|worker_threads)$)', message: 'no I/O here: time, ids and effects come in through commands and ports' }
const ioClients = { regex: '^(better-sqlite3|@eventstore/|nodemailer|@grpc/)', message: 'only the store adapters and the gateways talk to databases, gRPC and SMTP' }

/** The rules of the house (../shared/DESIGN.md): which folder may import which. */
const boundaries = [
  {
    files: ['src/domain/**/*.ts'],
    patterns: [forbid('app', 'the domain imports nothing from app'), forbid('store', 'the domain imports nothing from store'),
      forbid('providers', 'the domain imports nothing from providers'), forbid('projections', 'the domain imports nothing from projections'),
      forbid('workflows', 'the domain imports nothing from workflows'), forbid('cli', 'the domain imports nothing from cli'), nodeBuiltins, ioClients],
  },
  {
    files: ['src/workflows/**/*.ts'],
    patterns: [forbid('app', 'workflows are pure: no app'), forbid('store', 'workflows are pure: no store'),
      forbid('projections', 'workflows decide from states, not from views'), forbid('cli', 'workflows import nothing from cli'), nodeBuiltins, ioClients],
  },
  {
    files: ['src/providers/**/*.ts'],
    patterns: [forbid('projections', 'providers never import projections: policies work on the domain\'s types'),
      forbid('store', 'providers never import the store'), forbid('app', 'providers never import app'), forbid('cli', 'providers never import cli')],
  },
  {
    files: ['src/projections/**/*.ts'],
    patterns: [forbid('app', 'projections never import app'), forbid('cli', 'projections never import cli'), ioClients],
  },
  { files: ['src/store/**/*.ts'], patterns: [forbid('app', 'the store never imports app'), forbid('cli', 'the store never imports cli')] },
  { files: ['src/app/**/*.ts'], patterns: [forbid('cli', 'app never imports cli')] },
].map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns: patterns.flat() }] } }))

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      complexity: ['error', { max: 15, variant: 'modified' }],
      'max-params': ['error', 5],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 200, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      'max-depth': ['error', 4],
    },
  },
  ...boundaries,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
