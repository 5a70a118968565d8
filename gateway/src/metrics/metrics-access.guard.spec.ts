import { isLoopback } from './metrics-access.guard';

describe(isLoopback.name, () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each(['10.0.0.1', '128.0.0.1', '::2', '::ffff:10.0.0.1', '2001:db8::1', '', undefined, 'localhost'])(
    '%p is not',
    (address) => {
      expect(isLoopback(address)).toBe(false);
    },
  );
});
