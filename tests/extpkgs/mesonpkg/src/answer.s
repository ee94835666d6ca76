# An assembly source meson hands to the link itself (`objects:`), as
# numpy does with SVML's .s files: stick cc-wrap assembles it.
	.text
	.globl	answer_asm
	.type	answer_asm, @function
answer_asm:
	movl	$14, %eax
	ret
	.size	answer_asm, .-answer_asm
	.section	.note.GNU-stack,"",@progbits
