//! `+ - * /` and unary `-` on tensors (owned or borrowed) and scalars, and `+= -= *= /=`.
//! Operators panic with the same message the `try_*` methods return as an error, e.g.
//! `add: cannot broadcast [2, 3] with [4]: axis -1 is 3 vs 4`.

use super::arith::Arith;
use crate::dtype::NumElement;
use crate::error::or_panic;
use crate::tensor::Tensor;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

macro_rules! binary_operator {
    ($tr:ident, $m:ident, $atr:ident, $am:ident, $op:expr) => {
        impl<T: NumElement> $tr<&Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: &Tensor<T>) -> Tensor<T> {
                or_panic(self.try_arith(rhs, $op))
            }
        }
        impl<T: NumElement> $tr<Tensor<T>> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: Tensor<T>) -> Tensor<T> {
                or_panic(self.try_arith(&rhs, $op))
            }
        }
        impl<T: NumElement> $tr<&Tensor<T>> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: &Tensor<T>) -> Tensor<T> {
                or_panic(self.try_arith(rhs, $op))
            }
        }
        impl<T: NumElement> $tr<Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: Tensor<T>) -> Tensor<T> {
                or_panic(self.try_arith(&rhs, $op))
            }
        }
        impl<T: NumElement> $tr<T> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: T) -> Tensor<T> {
                or_panic(self.try_arith(&Tensor::scalar(rhs), $op))
            }
        }
        impl<T: NumElement> $tr<T> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $m(self, rhs: T) -> Tensor<T> {
                or_panic(self.try_arith(&Tensor::scalar(rhs), $op))
            }
        }
        impl<T: NumElement> $atr<&Tensor<T>> for Tensor<T> {
            #[track_caller]
            fn $am(&mut self, rhs: &Tensor<T>) {
                or_panic(self.arith_assign(rhs, $op))
            }
        }
        impl<T: NumElement> $atr<T> for Tensor<T> {
            #[track_caller]
            fn $am(&mut self, rhs: T) {
                or_panic(self.arith_assign(&Tensor::scalar(rhs), $op))
            }
        }
        scalar_lhs!($tr, $m, $op, u8, i32, i64, f32, f64);
    };
}

/// `scalar op tensor` needs one impl per concrete scalar type (coherence rules).
macro_rules! scalar_lhs {
    ($tr:ident, $m:ident, $op:expr, $($t:ty),*) => {$(
        impl $tr<&Tensor<$t>> for $t {
            type Output = Tensor<$t>;
            #[track_caller]
            fn $m(self, rhs: &Tensor<$t>) -> Tensor<$t> {
                or_panic(Tensor::scalar(self).try_arith(rhs, $op))
            }
        }
        impl $tr<Tensor<$t>> for $t {
            type Output = Tensor<$t>;
            #[track_caller]
            fn $m(self, rhs: Tensor<$t>) -> Tensor<$t> {
                or_panic(Tensor::scalar(self).try_arith(&rhs, $op))
            }
        }
    )*};
}

binary_operator!(Add, add, AddAssign, add_assign, Arith::Add);
binary_operator!(Sub, sub, SubAssign, sub_assign, Arith::Sub);
binary_operator!(Mul, mul, MulAssign, mul_assign, Arith::Mul);
binary_operator!(Div, div, DivAssign, div_assign, Arith::Div);

impl<T: NumElement> Neg for &Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        Tensor::neg(self)
    }
}

impl<T: NumElement> Neg for Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        Tensor::neg(&self)
    }
}

#[cfg(test)]
mod tests {
    use crate::tensor;

    #[test]
    fn operators_broadcast_and_mix_scalars() {
        let x = tensor![[1.0f32, 2.0], [3.0, 4.0]];
        let y = tensor![10.0f32, 20.0];
        assert_eq!((&x + &y).to_vec(), vec![11.0, 22.0, 13.0, 24.0]);
        assert_eq!((2.0 * &x - 1.0).to_vec(), vec![1.0, 3.0, 5.0, 7.0]);
        assert_eq!((1.0 / &x).to_vec(), vec![1.0, 0.5, 1.0 / 3.0, 0.25]);
        assert_eq!((-&x).to_vec(), vec![-1.0, -2.0, -3.0, -4.0]);
        let mut z = x.clone();
        z += &y;
        z *= 2.0;
        assert_eq!(z.to_vec(), vec![22.0, 44.0, 26.0, 48.0]);
        assert_eq!(x.to_vec(), vec![1.0, 2.0, 3.0, 4.0], "the clone shared storage; the write copied");
        assert_eq!((tensor![250u8, 10] + 10u8).to_vec(), vec![4, 20], "uint8 wraps like NumPy");
    }

    #[test]
    #[should_panic(expected = "add: cannot broadcast [2, 2] with [3]: axis -1 is 2 vs 3")]
    fn operator_panics_with_the_error_message() {
        let _ = tensor![[1.0f32, 2.0], [3.0, 4.0]] + tensor![1.0f32, 2.0, 3.0];
    }
}
