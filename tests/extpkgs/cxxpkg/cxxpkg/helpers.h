#pragma once
int helpers_descend(int n);
int helpers_depth();
