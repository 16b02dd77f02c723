/// The prelude functions that the reference writes in Orc, written here in Orc too (our own
/// text, same behaviour), compiled once and put in scope of every program before its own code.
enum Prelude {
    static let source = #"""
    -- Functions and combinators
    def curry(f) = lambda(x) = lambda(y) = f(x, y)
    def curry3(f) = lambda(x) = lambda(y) = lambda(z) = f(x, y, z)
    def uncurry(f) = lambda(x, y) = f(x)(y)
    def uncurry3(f) = lambda(x, y, z) = f(x)(y)(z)
    def flip(f) = lambda(x, y) = f(y, x)
    def constant(x) = lambda() = x
    def defer(f, x) = lambda() = f(x)
    def defer2(f, x, y) = lambda() = f(x, y)
    def ignore(f) = lambda(_) = f()
    def ignore2(f) = lambda(_, _) = f()
    def compose(f, g) = lambda(x) = f(g(x))
    def while(p, f) =
      def loop(x) = Ift(p(x)) >> (x | loop(f(x)))
      loop
    def repeat(f) = f() >x> (x | repeat(f))
    def fork([]) = stop
    def fork(p:ps) = p() | fork(ps)
    def forkMap(f, []) = stop
    def forkMap(f, x:xs) = f(x) | forkMap(f, xs)
    def seq([]) = signal
    def seq(p:ps) = p() >> seq(ps)
    def seqMap(f, []) = signal
    def seqMap(f, x:xs) = f(x) >> seqMap(f, xs)
    def join([]) = signal
    def join(p:ps) = (p(), join(ps)) >> signal
    def joinMap(f, []) = signal
    def joinMap(f, x:xs) = (f(x), joinMap(f, xs)) >> signal
    def alt([]) = stop
    def alt(p:ps) = p() ; alt(ps)
    def altMap(f, []) = stop
    def altMap(f, x:xs) = f(x) ; altMap(f, xs)
    def por([]) = false
    def por(p:ps) = Let(val a = p()  val b = por(ps)  Ift(a) >> true | Ift(b) >> true | (a || b))
    def pand([]) = true
    def pand(p:ps) = Let(val a = p()  val b = pand(ps)  Iff(a) >> false | Iff(b) >> false | (a && b))
    def collect(p) =
      val results = Channel()
      p() >x> results.put(x) >> stop ; results.getAll()

    -- Numbers
    def abs(x) = if x <: 0 then -x else x
    def signum(x) = if x <: 0 then -1 else if x :> 0 then 1 else 0
    def min(x, y) = if y <: x then y else x
    def max(x, y) = if x <: y then y else x
    def sqrt(x) = x ** 0.5
    def fst((x, _)) = x
    def snd((_, y)) = y

    -- Lists
    def each([]) = stop
    def each(h:t) = h | each(t)
    def map(f, []) = []
    def map(f, h:t) = f(h) : map(f, t)
    def reverse(l) =
      def onto([], acc) = acc
      def onto(h:t, acc) = onto(t, h:acc)
      onto(l, [])
    def filter(p, []) = []
    def filter(p, x:xs) =
      val rest = filter(p, xs)
      if p(x) then x:rest else rest
    def head(x:_) = x
    def tail(_:xs) = xs
    def init([_]) = []
    def init(x:xs) = x : init(xs)
    def last([x]) = x
    def last(_:xs) = last(xs)
    def empty([]) = true
    def empty(_) = false
    def index(h:_, 0) = h
    def index(_:t, n) = index(t, n - 1)
    def append([], l) = l
    def append(h:t, l) = h : append(t, l)
    def foldl(f, z, []) = z
    def foldl(f, z, x:xs) = foldl(f, f(z, x), xs)
    def foldl1(f, x:xs) = foldl(f, x, xs)
    def foldr(f, z, xs) = foldl(flip(f), z, reverse(xs))
    def foldr1(f, xs) = foldl1(flip(f), reverse(xs))
    def afold(f, [x]) = x
    def afold(f, xs) =
      def pairUp([]) = []
      def pairUp([x]) = [x]
      def pairUp(x:y:rest) = f(x, y) : pairUp(rest)
      afold(f, pairUp(xs))
    def cfold(f, [x]) = x
    def cfold(f, [x, y]) = f(x, y)
    def cfold(f, l) =
      val pool = Channel()
      def work(i, x:y:rest) = pool.put(f(x, y)) >> stop | work(i + 1, rest)
      def work(i, [x]) = pool.put(x) >> stop | work(i + 1, [])
      def work(i, []) =
        if i <: 2 then pool.get()
        else pool.get() >x> pool.get() >y> (pool.put(f(x, y)) >> stop | work(i - 1, []))
      work(0, l)
    def zipWith(_, [], _) = []
    def zipWith(_, _, []) = []
    def zipWith(f, x:xs, y:ys) = f(x, y) : zipWith(f, xs, ys)
    def zip(xs, ys) = zipWith(lambda(x, y) = (x, y), xs, ys)
    def unzip([]) = ([], [])
    def unzip((x, y):rest) = val (xs, ys) = unzip(rest) # (x:xs, y:ys)
    def concat([]) = []
    def concat(h:t) = append(h, concat(t))
    def length([]) = 0
    def length(_:t) = 1 + length(t)
    def take(0, _) = []
    def take(n, x:xs) = if n :> 0 then x : take(n - 1, xs) else Error("Cannot take(" + n + ", _)")
    def drop(0, xs) = xs
    def drop(n, _:xs) = if n :> 0 then drop(n - 1, xs) else Error("Cannot drop(" + n + ", _)")
    def member(_, []) = false
    def member(item, h:t) = if item = h then true else member(item, t)
    def mergeBy(lt, xs, []) = xs
    def mergeBy(lt, [], ys) = ys
    def mergeBy(lt, x:xs, y:ys) = if lt(y, x) then y : mergeBy(lt, x:xs, ys) else x : mergeBy(lt, xs, y:ys)
    def merge(xs, ys) = mergeBy((<:), xs, ys)
    def sortBy(lt, []) = []
    def sortBy(lt, [x]) = [x]
    def sortBy(lt, xs) = xs >> (
      val half = Floor(length(xs) / 2)
      val front = take(half, xs)
      val back = drop(half, xs)
      mergeBy(lt, sortBy(lt, front), sortBy(lt, back)))
    def sort(xs) = sortBy((<:), xs)
    def mergeUniqueBy(eq, lt, xs, []) = xs
    def mergeUniqueBy(eq, lt, [], ys) = ys
    def mergeUniqueBy(eq, lt, x:xs, y:ys) =
      if eq(y, x) then mergeUniqueBy(eq, lt, xs, y:ys)
      else if lt(y, x) then y : mergeUniqueBy(eq, lt, x:xs, ys)
      else x : mergeUniqueBy(eq, lt, xs, y:ys)
    def mergeUnique(xs, ys) = mergeUniqueBy((=), (<:), xs, ys)
    def sortUniqueBy(eq, lt, []) = []
    def sortUniqueBy(eq, lt, [x]) = [x]
    def sortUniqueBy(eq, lt, xs) = xs >> (
      val half = Floor(length(xs) / 2)
      val front = take(half, xs)
      val back = drop(half, xs)
      mergeUniqueBy(eq, lt, sortUniqueBy(eq, lt, front), sortUniqueBy(eq, lt, back)))
    def sortUnique(xs) = sortUniqueBy((=), (<:), xs)
    def groupBy(eq, []) = []
    def groupBy(eq, (k, v):kvs) =
      def gather(k, vs, []) = [(k, vs)]
      def gather(k, vs, (k2, v):kvs) =
        if eq(k2, k) then gather(k, v:vs, kvs) else (k, vs) : gather(k2, [v], kvs)
      gather(k, [v], kvs)
    def group(xs) = groupBy((=), xs)
    def rangeBy(low, high, skip) = if low <: high then low : rangeBy(low + skip, high, skip) else []
    def range(low, high) = rangeBy(low, high, 1)
    def any(p, []) = false
    def any(p, x:xs) = Let(val a = p(x)  val b = any(p, xs)  Ift(a) >> true | Ift(b) >> true | (a || b))
    def all(p, []) = true
    def all(p, x:xs) = Let(val a = p(x)  val b = all(p, xs)  Iff(a) >> false | Iff(b) >> false | (a && b))
    def sum(xs) = foldl((+), 0, xs)
    def product(xs) = foldl((*), 1, xs)
    def and([]) = true
    def and(false:_) = false
    def and(true:xs) = and(xs)
    def or([]) = false
    def or(true:_) = true
    def or(false:xs) = or(xs)
    def minimum(xs) = foldl1(min, xs)
    def maximum(xs) = foldl1(max, xs)

    -- Text
    def unwords([]) = ""
    def unwords([w]) = w
    def unwords(w:ws) = w + " " + unwords(ws)
    def unlines([]) = ""
    def unlines(l:ls) = l + "\n" + unlines(ls)

    -- Concurrency idioms
    def signals(n) = if n :> 0 then (signal | signals(n - 1)) else stop
    def for(low, high) = if low >= high then stop else (low | for(low + 1, high))
    def upto(n) = for(0, n)
    def withLock(s, f) = s.acquire() >> (Let(f()) >x> s.release() >> x ; s.release() >> stop)
    def synchronized(s, f) = lambda() = withLock(s, f)

    -- State helpers
    def swap(r, s) = (r?, s?) >(a, b)> (r := b, s := a) >> signal
    def fillArray(a, f) =
      def fill(i) = if i <: 0 then signal else (a(i) := f(i), fill(i - 1)) >> signal
      fill(a.length? - 1) >> a
    def sliceArray(a, low, high) =
      val slice = Array(high - low)
      def copy(i) = if i >= high then signal else (slice(i - low) := a(i)?, copy(i + 1)) >> signal
      copy(low) >> slice
    def arrayToList(a) =
      def walk(0, acc) = acc
      def walk(i, acc) = walk(i - 1, a(i - 1)? : acc)
      walk(a.length?, [])
    def listToArray(l) =
      val a = Array(length(l))
      def fill(_, []) = signal
      def fill(i, x:xs) = (a(i) := x, fill(i + 1, xs)) >> signal
      fill(0, l) >> a
    def Table(n, f) =
      val a = Array(n)
      def fill(i) = if i <: 0 then signal else (a.set(i, f(i)), fill(i - 1)) >> signal
      fill(n - 1) >> a.get

    -- Time
    def metronome(t) = signal | Rwait(t) >> metronome(t)
    def timeout(x, t) = Let(Some(x) | Rwait(t) >> None())
    """#
}
