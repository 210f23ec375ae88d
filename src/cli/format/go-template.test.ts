// Expected outputs are what Go's text/template (with docker/cli's template
// functions) produces; many cases mirror Go's exec_test.go and parse_test.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTemplate, renderTemplate, sprintf } from './go-template.js';

const r = renderTemplate;
const data = {
  SI: [3, 4, 5],
  SIEmpty: [] as number[],
  MSI: { one: 1, two: 2, three: 3 },
  MSIEmpty: {},
  S: 'xyz',
  Empty: '',
  Zero: 0,
  True: true,
  Nil: null,
  Nested: { Inner: { Deep: 'deep' } },
};

test('text, fields, field chains, $ and missing keys', () => {
  assert.equal(r('hello, world', data), 'hello, world');
  assert.equal(r('{{.S}}-{{.Nested.Inner.Deep}}-{{$.S}}', data), 'xyz-deep-xyz');
  assert.equal(r('{{.MSI.one}}', data), '1');
  assert.equal(r('{{.Missing}}', data), '<no value>');
  assert.equal(r('{{.Missing.Deeper}}', data), '<no value>');
  assert.equal(r('{{.Nil}}', data), '<no value>');
  assert.equal(r('{{.}}', 'dot'), 'dot');
});

test('Go default printing of values', () => {
  assert.equal(r('{{.SI}}', data), '[3 4 5]');
  assert.equal(r('{{.MSI}}', data), 'map[one:1 three:3 two:2]');
  assert.equal(r('{{.}}', { b: [1, null], a: { y: 'z' } }), 'map[a:map[y:z] b:[1 <nil>]]');
  assert.equal(r('{{.True}} {{.Zero}} {{1.5}} {{-7}} {{1e3}}', data), 'true 0 1.5 -7 1000');
  assert.equal(r('{{.}}', [['a', 'b'], []]), '[[a b] []]');
  assert.equal(r('{{.}}', 1234567.5), '1.2345675e+06'); // %v uses %g's exponent threshold for floats
  assert.equal(r('{{.}}', 0.000012), '1.2e-05');
});

test('whitespace trimming and comments', () => {
  assert.equal(r('{{23 -}} < {{- 45}}', null), '23<45');
  assert.equal(r('a  {{- .S -}}\n\t b', data), 'axyzb');
  assert.equal(r('x {{/* comment */}} y', null), 'x  y');
  assert.equal(r('x {{- /* comment */ -}} y', null), 'xy');
  assert.equal(r('{{-3}}', null), '-3'); // "-3" is a number, not a trim marker
});

test('literals', () => {
  assert.equal(r('{{"a\\tb\\u00e9\\x41"}}', null), 'a\tbéA');
  assert.equal(r('{{`raw\\n`}}', null), 'raw\\n');
  assert.equal(r("{{'a'}} {{0x1F}} {{017}} {{0b101}} {{1_000}}", null), '97 31 15 5 1000');
  assert.equal(r('{{print nil}}', null), '<nil>');
  assert.equal(r('{{true}} {{false}}', null), 'true false');
});

test('variables', () => {
  assert.equal(r('{{$x := .S}}{{$x}}', data), 'xyz');
  assert.equal(r('{{$x := 1}}{{$x = 2}}{{$x}}', null), '2');
  assert.equal(r('{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}', null), '2');
  assert.equal(r('{{with $x := .Nested}}{{$x.Inner.Deep}}{{end}}', data), 'deep');
  assert.equal(r('{{range .SI}}{{$.S}}{{end}}', data), 'xyzxyzxyz');
});

test('range over slices, maps and ints with else', () => {
  assert.equal(r('{{range .SI}}-{{.}}-{{end}}', data), '-3--4--5-');
  assert.equal(r('{{range $x := .SI}}<{{$x}}>{{end}}', data), '<3><4><5>');
  assert.equal(r('{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}', data), '<0=3><1=4><2=5>');
  assert.equal(r('{{range .MSI}}-{{.}}-{{end}}', data), '-1--3--2-'); // keys sorted: one three two
  assert.equal(r('{{range $k, $v := .MSI}}{{$k}}={{$v}} {{end}}', data), 'one=1 three=3 two=2 ');
  assert.equal(r('{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}', data), 'EMPTY');
  assert.equal(r('{{range .MSIEmpty}}x{{else}}EMPTY{{end}}', data), 'EMPTY');
  assert.equal(r('{{range .Missing}}x{{else}}NONE{{end}}', data), 'NONE');
  assert.equal(r('{{range 3}}{{.}}{{end}}', null), '012');
  assert.equal(r('{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', data), '3');
  assert.equal(r('{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}', data), '35');
  const m = new Map<unknown, unknown>([[10, 'ten'], [2, 'two']]);
  assert.equal(r('{{range $k, $v := .}}{{$k}}:{{$v}} {{end}}', m), '2:two 10:ten ');
});

test('if / else if / with and Go truthiness', () => {
  assert.equal(r('{{if true}}TRUE{{end}}', null), 'TRUE');
  assert.equal(r('{{if 0}}non-zero{{else}}zero{{end}}', null), 'zero');
  assert.equal(r('{{if .SIEmpty}}non-empty{{else}}empty{{end}}', data), 'empty');
  assert.equal(r('{{if .MSIEmpty}}x{{else}}empty map{{end}}', data), 'empty map');
  assert.equal(r('{{if .Empty}}x{{else if .Zero}}y{{else if .S}}z{{else}}w{{end}}', data), 'z');
  assert.equal(r('{{with "hello"}}{{.}}{{end}}', null), 'hello');
  assert.equal(r('{{with .Empty}}x{{else}}nothing{{end}}', data), 'nothing');
  assert.equal(r('{{with .Missing}}x{{else with .S}}{{.}}{{end}}', data), 'xyz');
});

test('pipelines and parenthesised sub-expressions', () => {
  assert.equal(r('{{"hello" | printf "%s"}}', null), 'hello');
  assert.equal(r('{{.S | printf "%s-%s" "a"}}', data), 'a-xyz');
  assert.equal(r('{{.S | upper | printf "%q"}}', data), '"XYZ"');
  assert.equal(r('{{printf "%d" (len .SI)}}', data), '3');
  assert.equal(r('{{(index .SI 1)}}', data), '4');
  assert.equal(r('{{(.Nested.Inner).Deep}}', data), 'deep');
});

test('Go builtin functions', () => {
  assert.equal(r('{{len "héllo"}} {{len .SI}} {{len .MSI}}', data), '6 3 3'); // len counts bytes
  assert.equal(r('{{index .SI 0}} {{index .MSI "two"}} {{index "abc" 1}}', data), '3 2 98');
  assert.equal(r('{{slice .SI 1}} {{slice .S 1 2}} {{slice .SI}}', data), '[4 5] y [3 4 5]');
  assert.equal(r('{{and 1 0}} {{and 1 2}} {{or 0 "" 3}} {{or 0 ""}} {{not 0}} {{not .S}}', data), '0 2 3  true false');
  assert.equal(r('{{and .Nil .Nil.Field}}', data), '<no value>'); // short-circuits
  assert.equal(r('{{eq 1 1}} {{eq "a" "b" "a"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', null),
    'true true true true true true false');
  assert.equal(r('{{print 1 2 "a" 3 "b" "c"}}', null), '1 2a3bc');
  assert.equal(r('{{println 1 "a"}}', null), '1 a\n');
  assert.equal(r('{{html "<script>alert(\\"XSS\\");</script>"}}', null), '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;');
  assert.equal(r('{{js .}}', "It'd be nice."), "It\\'d be nice.");
  assert.equal(r('{{js "<a=b&c>"}}', null), '\\u003Ca\\u003Db\\u0026c\\u003E');
  assert.equal(r('{{"http://www.example.org/"|urlquery}}', null), 'http%3A%2F%2Fwww.example.org%2F');
  assert.equal(r('{{call .F 2 3}}', { F: (a: number, b: number) => a * b }), '6');
});

test('printf verbs, flags and error forms', () => {
  assert.equal(sprintf('%-10s|%5d|%05d|%x|%X|%o|%b|%%', ['ab', 42, -42, 255, 255, 8, 5]), 'ab        |   42|-0042|ff|FF|10|101|%');
  assert.equal(sprintf('%q %v %t %c %U', ['hi\n', [1, 'a'], true, 0x65e5, 0x65e5]), '"hi\\n" [1 a] true 日 U+65E5');
  assert.equal(sprintf('%.2f %8.3f %e %g %.3g', [3.14159, 2.5, 123456.789, 0.0001, 1234.5]), '3.14    2.500 1.234568e+05 0.0001 1.23e+03');
  assert.equal(sprintf('%.3s|%5.1s|%-4q|', ['abcdef', 'xyz', 'a']), 'abc|    x|"a" |');
  assert.equal(sprintf('%*d|%-*d|', [4, 7, 3, 1]), '   7|1  |');
  assert.equal(sprintf('%d %s', ['x']), '%!d(string=x) %!s(MISSING)');
  assert.equal(sprintf('%s', [1, 2]), '%!s(int=1)%!(EXTRA int=2)');
  assert.equal(sprintf('%s %v %d', [null, null, null]), '%!s(<nil>) <nil> %!d(<nil>)');
  assert.equal(sprintf('%+v|%x|% x', [{ a: 1 }, 'hi', 'hi']), 'map[a:1]|6869|68 69');
  assert.equal(sprintf('%[2]s %[1]s', ['a', 'b']), 'b a');
  assert.equal(sprintf('%!|%', []), '%!!(MISSING)|%!(NOVERB)');
  assert.equal(r('{{printf "%s" .Missing}}', {}), '%!s(<nil>)');
});

test("docker's template functions", () => {
  assert.equal(r('{{json .}}', { a: '<&>', b: [1, 2.5], c: null, d: { e: true } }), '{"a":"<&>","b":[1,2.5],"c":null,"d":{"e":true}}');
  assert.equal(r('{{json .}}', 'line\nsep\u2028'), '"line\\nsep\\u2028"');
  assert.equal(r('{{json .}}', new Map([['b', 1], ['a', 2]])), '{"a":2,"b":1}');
  assert.equal(r('{{json .Missing}}', {}), 'null');
  assert.equal(r('{{split "a:b:c" ":"}} {{index (split .Image ":") 1}}', { Image: 'nginx:latest' }), '[a b c] latest');
  assert.equal(r('{{join .Args " , "}}', { Args: ['-c', 'echo hi'] }), '-c , echo hi');
  assert.equal(r('{{title "hello world-foo bar_baz"}}', null), 'Hello World-Foo Bar_baz');
  assert.equal(r('{{lower "ABC"}} {{upper "abc"}}', null), 'abc ABC');
  assert.equal(r('[{{pad "x" 2 3}}][{{pad "" 2 3}}]', null), '[  x   ][]');
  assert.equal(r('{{truncate "abcdef" 3}} {{truncate "ab" 3}}', null), 'abc ab');
});

test('docker inspect style formats', () => {
  const inspect = {
    Name: '/web',
    Config: { Env: ['A=1', 'B=2'], Labels: { 'com.example.vendor': 'ACME' } },
    State: { Status: 'running', Pid: 4242, ExitCode: 0 },
    NetworkSettings: {
      Networks: { bridge: { IPAddress: '172.17.0.2' } },
      Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] },
    },
  };
  assert.equal(r('{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', inspect), '172.17.0.2');
  assert.equal(r('{{range $p, $conf := .NetworkSettings.Ports}} {{$p}} -> {{(index $conf 0).HostPort}} {{end}}', inspect), ' 80/tcp -> 8080 ');
  assert.equal(r('{{.Config.Env}}', inspect), '[A=1 B=2]');
  assert.equal(r('{{index .Config.Labels "com.example.vendor"}}', inspect), 'ACME');
  assert.equal(r('{{.State.Pid}} {{if eq .State.ExitCode 0}}ok{{end}}', inspect), '4242 ok');
  assert.equal(r('{{json .State}}', inspect), '{"Status":"running","Pid":4242,"ExitCode":0}');
});

test('methods and getters on formatter-context objects', () => {
  class ContainerContext {
    constructor(private readonly id: string) {}
    get ID(): string { return this.id.slice(0, 12); }
    Names(): string { return 'web'; }
    Label(name: string): string { return name === 'env' ? 'prod' : ''; }
  }
  const c = new ContainerContext('4c01db0b339c8f1e');
  assert.equal(r('{{.ID}} {{.Names}} {{.Label "env"}}', c), '4c01db0b339c web prod');
  // Like docker/cli's formatter.MarshalJSON: exported zero-arg methods/getters, sorted keys.
  assert.equal(r('{{json .}}', c), '{"ID":"4c01db0b339c","Names":"web"}');
  assert.throws(() => r('{{.Nope}}', c), {
    message: 'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type ContainerContext',
  });
});

test('parse errors use Go messages', () => {
  const cases: [string, string][] = [
    ['{{foo}}', 'template: :1: function "foo" not defined'],
    ['{{.Foo }', 'template: :1: unexpected "}" in operand'],
    ['{{.Foo}', "template: :1: bad character U+007D '}'"],
    ['hello{{range', 'template: :1: unclosed action'],
    ['{{range .X}}', 'template: :1: unexpected EOF'],
    ['{{end}}', 'template: :1: unexpected {{end}}'],
    ['{{else}}', 'template: :1: unexpected {{else}}'],
    ['{{$x}}', 'template: :1: undefined variable "$x"'],
    ['{{if .X}}a{{else}}b{{else}}c{{end}}', 'template: :1: expected end; found {{else}}'],
    ['{{range $k, $v, $e := .}}{{end}}', 'template: :1: too many declarations in range'],
    ['{{with $x, $y := .}}{{end}}', 'template: :1: too many declarations in with'],
    ['{{break}}', 'template: :1: {{break}} outside {{range}}'],
    ['{{true.any}}', 'template: :1: unexpected . after term "true"'],
    ['{{.X | 7}}', 'template: :1: non executable command in pipeline stage 2'],
    ['{{if}}{{end}}', 'template: :1: missing value for if'],
    ['{{"x}}', 'template: :1: unterminated quoted string'],
    ['{{/* x }}', 'template: :1: unclosed comment'],
    ['{{(1}}', 'template: :1: unclosed left paren'],
    ['a\nb\n{{.X | nope}}', 'template: :3: function "nope" not defined'],
  ];
  for (const [src, msg] of cases) assert.throws(() => parseTemplate(src), { message: msg }, src);
});

test('execution errors use Go messages and locations', () => {
  const cases: [string, unknown, string][] = [
    ['{{index .L 5}}', { L: [1] }, 'template: :1:2: executing "" at <index .L 5>: error calling index: index out of range: 5'],
    ['{{.S.Y}}', { S: 'x' }, 'template: :1:4: executing "" at <.S.Y>: can\'t evaluate field Y in type string'],
    ['{{.A.B}}', { A: null }, 'template: :1:4: executing "" at <.A.B>: nil pointer evaluating interface {}.B'],
    ['{{len}}', {}, 'template: :1:2: executing "" at <len>: wrong number of args for len: want 1 got 0'],
    ['{{range .}}{{end}}', true, 'template: :1:8: executing "" at <.>: range can\'t iterate over true'],
    ['x\n {{nil}}', {}, 'template: :2:3: executing "" at <nil>: nil is not a command'],
    ['{{upper .N}}', { N: 1 }, 'template: :1:8: executing "" at <.N>: wrong type for value; expected string; got int'],
    ['{{lt 1 "a"}}', {}, 'template: :1:2: executing "" at <lt 1 "a">: error calling lt: incompatible types for comparison'],
  ];
  for (const [src, d, msg] of cases) assert.throws(() => r(src, d), { message: msg }, src);
});

test('tryExecute keeps output produced before an error', () => {
  const res = parseTemplate('a{{.X}}b{{.X.Y}}c').tryExecute({ X: 'q' });
  assert.equal(res.output, 'aqb');
  assert.match(res.error!.message, /can't evaluate field Y in type string/);
});

test('define, template and block', () => {
  assert.equal(r('{{define "x"}}[{{.}}]{{end}}{{template "x" .A}}{{template "x"}}', { A: 'q' }), '[q][<no value>]');
  assert.equal(r('{{block "y" .A}}<{{.}}>{{end}}', { A: 1 }), '<1>');
});
