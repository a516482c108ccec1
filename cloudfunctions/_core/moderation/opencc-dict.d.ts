// opencc-js ships its dictionaries as plain ES modules without declarations: each is "a b|c d" (from → to).
declare module 'opencc-js/dict/*' {
  const dictionary: string
  export default dictionary
}
