import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Topology.connectionNic is a NIC slot kept only for the engine until it reads connectionNicSlot;
    // the old LayoutInfo.connectionNic was a node index, so a stray use elsewhere would be silently wrong.
    ignores: ['src/model/engine.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='connectionNic']", message: 'Ambiguous: use connectionNicNode (node index) or connectionNicSlot (NIC slot).' },
      ],
    },
  },
  {
    // Tests corrupt scenarios on purpose; typing every mutation would hide what each one does.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The engine stays free of UI code and of outside time/randomness (I7).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['react', 'react-dom', 'react/*', 'd3', 'd3-*', 'zustand', 'zustand/*', '**/app/**'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded PRNG (src/base/prng.ts).' },
        { object: 'Date', property: 'now', message: 'Simulated time only.' },
        { object: 'performance', property: 'now', message: 'Simulated time only.' },
      ],
    },
  },
);
