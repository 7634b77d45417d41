/** The reference design's schema as its users have it: AppSync scalars and directives undeclared. */
export const REFERENCE_SDL = `
type Tickerdata { id: ID! ticker: String! price: Float! matchtime: String }
type Query { getTickerdata(id: ID!): Tickerdata }
type Mutation { tickerlocal(id: ID!, ticker: String!, price: Float!, matchtime: String): Tickerdata! }
type Subscription {
  tickerlocal(id: ID, ticker: String, price: Float): Tickerdata @aws_subscribe(mutations: ["tickerlocal"])
}
`;

/** One record exactly as the reference design's producer writes it. */
export const REFERENCE_RECORD = { ticker: 'BTC', price: 106.66713681140098, matchtime: '2026-12-01T10:50:59.222824', id: 0 };
