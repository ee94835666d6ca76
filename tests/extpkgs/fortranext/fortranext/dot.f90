! The dot product of two vectors, for a Python extension.
subroutine dot(n, x, y, r)
  implicit none
  integer, intent(in) :: n
  double precision, intent(in) :: x(n), y(n)
  double precision, intent(out) :: r
  r = sum(x * y)
end subroutine dot
